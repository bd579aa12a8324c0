// Segments report API: one page of the grid, and every segment id (Select All).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { SegmentOrder, SegmentsGridQueryVariables } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import type { PageVariables } from '@/hooks/use-cursor-pager';
import { fetchAllNodes, MAX_PAGE_SIZE } from '@/lib/connection';
import { segmentKeys } from './query-keys';

const SegmentsGridQuery = graphql(`
  query SegmentsGrid($first: Int, $after: String, $last: Int, $before: String, $orderBy: SegmentOrder) {
    segments(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
        name
        status
        customerCount
        websites {
          id
          name
        }
      }
    }
  }
`);

const SegmentIdsQuery = graphql(`
  query SegmentIds($first: Int!, $after: String) {
    segments(first: $first, after: $after, orderBy: { field: ID, direction: ASC }) {
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
      }
    }
  }
`);

export function useSegments(page: PageVariables, orderBy: SegmentOrder) {
  const variables: SegmentsGridQueryVariables = { ...page, orderBy };
  return useQuery({
    queryKey: segmentKeys.list(variables),
    queryFn: ({ signal }) => request(SegmentsGridQuery, variables, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every segment id, fetched page by page (for Select All). */
export async function fetchAllSegmentIds(): Promise<string[]> {
  const nodes = await fetchAllNodes(
    async (after) => (await request(SegmentIdsQuery, { first: MAX_PAGE_SIZE, after })).segments,
  );
  return nodes.map((node) => node.id);
}
