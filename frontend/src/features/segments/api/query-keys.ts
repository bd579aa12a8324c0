// Query keys of the segments report, from one factory, so a key built for a
// query and a key built to invalidate it cannot drift apart.
import type { SegmentsGridQueryVariables } from '@/gql/graphql';

export const segmentKeys = {
  /** Everything this feature caches. */
  all: ['segments'] as const,
  /** Every page of the grid, whatever its sort and cursor. */
  lists: () => [...segmentKeys.all, 'list'] as const,
  /** One page of the grid. */
  list: (variables: SegmentsGridQueryVariables) => [...segmentKeys.lists(), variables] as const,
};
