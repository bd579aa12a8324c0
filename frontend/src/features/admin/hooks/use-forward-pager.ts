// Paging a connection that only pages forwards (users, auditEvents take
// first/after): the cursors of the pages passed are kept, so Previous goes
// back to the cursor before. Anything in `boundTo` (the filter) starts over.
import { useState } from 'react';

/** The page on screen and the steps to its neighbours (see useForwardPager). */
export type ForwardPager = ReturnType<typeof useForwardPager>;

export function useForwardPager(pageSize: number, boundTo: readonly unknown[]) {
  const resetKey = JSON.stringify([pageSize, ...boundTo]);
  const [state, setState] = useState<{ resetKey: string; afters: string[] }>({ resetKey, afters: [] });
  const afters = state.resetKey === resetKey ? state.afters : [];
  return {
    /** Spread into the query's variables. */
    variables: { first: pageSize, ...(afters.length ? { after: afters[afters.length - 1] } : {}) },
    pageIndex: afters.length,
    pageSize,
    hasPrevious: afters.length > 0,
    next(endCursor: string | null | undefined) {
      if (endCursor) setState({ resetKey, afters: [...afters, endCursor] });
    },
    previous() {
      setState({ resetKey, afters: afters.slice(0, -1) });
    },
  };
}
