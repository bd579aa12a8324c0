// A fake DrillDownSegments answer for the drill-down's component tests: an
// active, never-refreshed segment "Segment <id>" for every id asked.
import type { Handler } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';

export function namedSegments(customerCount: number): Handler {
  return (variables) => ({
    data: {
      segments: paginate(
        (variables.ids as string[]).map((id) => ({
          id,
          name: `Segment ${id}`,
          status: 'ACTIVE',
          customerCount,
          refreshedAt: null,
          membershipStale: false,
        })),
        variables,
      ),
    },
  });
}
