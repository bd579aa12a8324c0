// Segments report API: one page of the grid, and every segment id (Select All).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { SegmentOrder, SegmentsGridQueryVariables } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import type { PageVariables } from '@/hooks/use-cursor-pagination';

const SegmentsGridQuery = graphql(`
  query SegmentsGrid($first: Int, $after: String, $last: Int, $before: String, $orderBy: SegmentOrder) {
    segments(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
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
        hasNextPage
        endCursor
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
    queryKey: ['segments', 'grid', variables],
    queryFn: ({ signal }) => request(SegmentsGridQuery, variables, signal),
    placeholderData: keepPreviousData,
  });
}

const ID_PAGE_SIZE = 200; // the server's maximum page size

/** Every segment id, fetched page by page (for Select All). */
export async function fetchAllSegmentIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { segments } = await request(SegmentIdsQuery, { first: ID_PAGE_SIZE, after });
    ids.push(...segments.nodes.map((node) => node.id));
    if (!segments.pageInfo.hasNextPage || !segments.pageInfo.endCursor) return ids;
    after = segments.pageInfo.endCursor;
  }
}
