// Drill-down API: one page of the customers of one or several segments, and
// those segments themselves for the header (all in one request).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type {
  CustomerFilter,
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
    $excludeSegmentIds: [ID!]
    $filter: CustomerFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
    $orderBy: CustomerOrder
  ) {
    segmentCustomers(
      segmentIds: $segmentIds
      mode: $mode
      excludeSegmentIds: $excludeSegmentIds
      filter: $filter
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

// An ANALYST may count customers but not list them: totalCount only.
const SegmentCustomerCountQuery = graphql(`
  query SegmentCustomerCount(
    $segmentIds: [ID!]!
    $mode: SegmentSetMode
    $excludeSegmentIds: [ID!]
    $filter: CustomerFilter
  ) {
    segmentCustomers(segmentIds: $segmentIds, mode: $mode, excludeSegmentIds: $excludeSegmentIds, filter: $filter) {
      totalCount
    }
  }
`);

// What the filter row offers: the store's customer groups and websites.
const DrillDownChoicesQuery = graphql(`
  query DrillDownChoices {
    customerGroups {
      id
      name
    }
    websites {
      id
      code
      name
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

/** Which customers the drill-down lists (everything but the page and the sort). */
export interface CustomerSet {
  segmentIds: readonly string[];
  mode: SegmentSetMode;
  excludeSegmentIds: readonly string[];
  filter: CustomerFilter | undefined;
}

function setVariables({ segmentIds, mode, excludeSegmentIds, filter }: CustomerSet) {
  return {
    segmentIds: [...segmentIds],
    mode,
    ...(excludeSegmentIds.length > 0 ? { excludeSegmentIds: [...excludeSegmentIds] } : {}),
    ...(filter ? { filter } : {}),
  };
}

/** One page of the set's customers; `enabled` false waits (e.g. for the store's time zone). */
export function useSegmentCustomers(set: CustomerSet, page: PageVariables, orderBy: CustomerOrder, enabled = true) {
  const variables: SegmentCustomersQueryVariables = { ...setVariables(set), ...page, orderBy };
  return useQuery({
    queryKey: segmentCustomerKeys.page(variables),
    queryFn: ({ signal }) => request(SegmentCustomersQuery, variables, signal),
    placeholderData: keepPreviousData,
    enabled: enabled && set.segmentIds.length > 0,
  });
}

/** How many customers the set holds, without rows (what an ANALYST may see). */
export function useSegmentCustomerCount(set: CustomerSet, enabled = true) {
  const variables = setVariables(set);
  return useQuery({
    queryKey: segmentCustomerKeys.count(variables),
    queryFn: ({ signal }) => request(SegmentCustomerCountQuery, variables, signal),
    select: (data) => data.segmentCustomers.totalCount,
    placeholderData: keepPreviousData,
    enabled: enabled && set.segmentIds.length > 0,
  });
}

/** The customer groups and websites the filter row offers. */
export function useFilterChoices() {
  return useQuery({
    queryKey: segmentCustomerKeys.choices,
    queryFn: ({ signal }) => request(DrillDownChoicesQuery, {}, signal),
    staleTime: 5 * 60_000,
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
 * The segments of the address (included, then excluded), in its order, asked for in one request
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
