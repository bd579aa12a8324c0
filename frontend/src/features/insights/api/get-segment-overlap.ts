// How 2 to 10 segments' members overlap: the segmentOverlap query.
import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { request } from '@/lib/graphql-client';

const SegmentOverlapQuery = graphql(`
  query SegmentOverlap($segmentIds: [ID!]!) {
    segmentOverlap(segmentIds: $segmentIds) {
      segments {
        id
        name
      }
      unionCount
      intersectionCount
      pairs {
        segmentIds
        intersectionCount
        unionCount
      }
      regions {
        segmentIds
        excludedSegmentIds
        customerCount
      }
    }
  }
`);

export const overlapKeys = {
  overlap: (ids: readonly string[]) => ['segments', 'overlap', [...ids]] as const,
};

/** The overlap of these segments (as of each one's last refresh). */
export function useSegmentOverlap(ids: readonly string[]) {
  return useQuery({
    queryKey: overlapKeys.overlap(ids),
    queryFn: ({ signal }) => request(SegmentOverlapQuery, { segmentIds: [...ids] }, signal),
    select: (data) => data.segmentOverlap,
    enabled: ids.length >= 2,
  });
}
