// Drill-down API: one page of the customers of one or several segments, and
// those segments themselves for the header (all in one request).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type {
  CustomerOrder,
  DrillDownSegmentsQuery,
  SegmentCustomersQueryVariables,
  SegmentSetMode,
} from '@/gql/graphql';
import type { PageVariables } from '@/hooks/use-cursor-pager';
import { fetchAllNodes, MAX_PAGE_SIZE } from '@/lib/connection';
import { request } from '@/lib/graphql-client';
import { segmentCustomerKeys } from './query-keys';

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

const DrillDownSegmentsQuery = graphql(`
  query DrillDownSegments($ids: [ID!]!, $first: Int!, $after: String) {
    segments(filter: { ids: $ids }, first: $first, after: $after) {
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
      }
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
    queryKey: segmentCustomerKeys.page(variables),
    queryFn: ({ signal }) => request(SegmentCustomersQuery, variables, signal),
    placeholderData: keepPreviousData,
    enabled: segmentIds.length > 0,
  });
}

export type SegmentSummary = DrillDownSegmentsQuery['segments']['nodes'][number];

/** What the header knows of one segment of the address. */
export interface SegmentSummaryState {
  id: string;
  /** undefined while loading, null when no segment has this id. */
  segment: SegmentSummary | null | undefined;
  error: unknown;
}

/**
 * The segments of the address, in its order, asked for in one request
 * (`segments(filter: {ids})`; a page holds 200, more follow page by page).
 * An id the answer lacks names no segment.
 */
export function useSegmentSummaries(segmentIds: readonly string[]): SegmentSummaryState[] {
  const ids = [...segmentIds];
  const query = useQuery({
    queryKey: segmentCustomerKeys.segments(ids),
    queryFn: ({ signal }) =>
      fetchAllNodes(
        async (after) =>
          (await request(DrillDownSegmentsQuery, { ids, first: Math.min(ids.length, MAX_PAGE_SIZE), after }, signal))
            .segments,
      ),
    enabled: ids.length > 0,
  });
  const byId = new Map(query.data?.map((segment) => [segment.id, segment]));
  return ids.map((id) => ({
    id,
    segment: query.data ? (byId.get(id) ?? null) : undefined,
    error: query.error,
  }));
}
