// Drill-down API: one page of the customers of one or several segments, and
// the segments' own summary for the header.
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { CustomerOrder, SegmentCustomersQueryVariables, SegmentSetMode } from '@/gql/graphql';
import { request } from '@/lib/graphql-client';
import type { PageVariables } from '@/hooks/use-cursor-pager';

const SegmentCustomersQuery = graphql(`
  query SegmentCustomers(
    $segmentIds: [ID!]!
    $mode: SegmentSetMode
    $first: Int
    $after: String
    $last: Int
    $before: String
    $orderBy: CustomerOrder
  ) {
    segmentCustomers(
      segmentIds: $segmentIds
      mode: $mode
      first: $first
      after: $after
      last: $last
      before: $before
      orderBy: $orderBy
    ) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      nodes {
        id
        name
        email
        group {
          id
          name
        }
        phone
        zip
        country {
          code
          name
        }
        region
        customerSince
      }
    }
  }
`);

const SegmentSummaryQuery = graphql(`
  query SegmentSummary($id: ID!) {
    segment(id: $id) {
      id
      name
      status
      customerCount
      refreshedAt
      membershipStale
    }
  }
`);

export function useSegmentCustomers(
  segmentIds: readonly string[],
  mode: SegmentSetMode,
  page: PageVariables,
  orderBy: CustomerOrder,
) {
  const variables: SegmentCustomersQueryVariables = { segmentIds: [...segmentIds], mode, ...page, orderBy };
  return useQuery({
    queryKey: ['segmentCustomers', variables],
    queryFn: ({ signal }) => request(SegmentCustomersQuery, variables, signal),
    placeholderData: keepPreviousData,
    enabled: segmentIds.length > 0,
  });
}

/** segment(id) for each id, in the order given; a null segment means no such id. */
export function useSegmentSummaries(segmentIds: readonly string[]) {
  return useQueries({
    queries: segmentIds.map((id) => ({
      queryKey: ['segment', 'summary', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => request(SegmentSummaryQuery, { id }, signal),
    })),
  });
}
