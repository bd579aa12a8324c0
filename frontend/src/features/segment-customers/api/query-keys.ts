// Query keys of the drill-down, from one factory, so a key built for a query
// and a key built to invalidate it cannot drift apart.
import type { SegmentCustomersQueryVariables } from '@/gql/graphql';

export const segmentCustomerKeys = {
  /** Everything this feature caches. */
  all: ['segmentCustomers'] as const,
  /** Every page of customers, whatever the segments, sort and cursor. */
  pages: () => [...segmentCustomerKeys.all, 'page'] as const,
  /** One page of the customers of some segments. */
  page: (variables: SegmentCustomersQueryVariables) => [...segmentCustomerKeys.pages(), variables] as const,
  /** The number of customers of some segments (no rows). */
  count: (variables: object) => [...segmentCustomerKeys.pages(), 'count', variables] as const,
  /** The filter row's choices (customer groups, websites). */
  choices: ['segmentCustomers', 'choices'] as const,
  /** The header's segments, in the order of the address. */
  segments: (ids: readonly string[]) => [...segmentCustomerKeys.all, 'segments', [...ids]] as const,
  /** One export job, polled until it ends. */
  exportJob: (id: string | undefined) => [...segmentCustomerKeys.all, 'exportJob', id] as const,
};
