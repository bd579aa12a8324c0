// Segments report API: one page of the grid (with its filter), every
// matching id (Select All), the websites (the filter's choices) and the
// names of some segments (the delete confirmation).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { SegmentFilter, SegmentOrder, SegmentsGridQueryVariables } from '@/gql/graphql';
import type { PageVariables } from '@/hooks/use-cursor-pager';
import { request } from '@/lib/graphql-client';
import { segmentKeys } from './query-keys';

const SegmentsGridQuery = graphql(`
  query SegmentsGrid(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: SegmentFilter
    $orderBy: SegmentOrder
  ) {
    segments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
        name
        status
        customerCount
        refreshedAt
        membershipStale
        websites {
          id
          name
        }
      }
    }
  }
`);

const SegmentIdsQuery = graphql(`
  query SegmentIds($filter: SegmentFilter) {
    segmentIds(filter: $filter)
  }
`);

const SegmentNamesQuery = graphql(`
  query SegmentNames($ids: [ID!]!, $first: Int!) {
    segments(first: $first, filter: { ids: $ids }, orderBy: { field: ID, direction: ASC }) {
      nodes {
        id
        name
      }
    }
  }
`);

const WebsitesQuery = graphql(`
  query Websites {
    websites {
      id
      code
      name
    }
  }
`);

export function useSegments(page: PageVariables, orderBy: SegmentOrder, filter: SegmentFilter | undefined) {
  const variables: SegmentsGridQueryVariables = filter ? { ...page, filter, orderBy } : { ...page, orderBy };
  return useQuery({
    queryKey: segmentKeys.list(variables),
    queryFn: ({ signal }) => request(SegmentsGridQuery, variables, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every segment id matching the filter, ascending (for Select All). */
export async function fetchSegmentIds(filter: SegmentFilter | undefined): Promise<string[]> {
  const data = await request(SegmentIdsQuery, filter ? { filter } : {});
  return data.segmentIds;
}

/** The names of some segments, by id ascending (at most 100 ids). */
export async function fetchSegmentNames(ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  const data = await request(SegmentNamesQuery, { ids: [...ids], first: ids.length });
  return data.segments.nodes;
}

/** The store's websites, for the website filter. */
export function useWebsites() {
  return useQuery({
    queryKey: ['websites'] as const,
    queryFn: ({ signal }) => request(WebsitesQuery, {}, signal),
    select: (data) => data.websites,
    staleTime: 5 * 60_000,
  });
}
