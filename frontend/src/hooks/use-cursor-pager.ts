// Cursor paging over a GraphQL connection (first/after forward, last/before back).
import { useState } from 'react';

/** The connection arguments that select one page. */
export interface PageVariables {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

type Cursor = { after: string } | { before: string } | null;

interface PageState {
  resetKey: string;
  cursor: Cursor;
  pageIndex: number;
}

/** The page on screen and the steps to its neighbours (see useCursorPager). */
export type CursorPager = ReturnType<typeof useCursorPager>;

/**
 * Keeps the cursor of the page on screen. A change of the page size or of
 * anything in `boundTo` (sort, filters, segments: any argument a cursor is
 * bound to) goes back to the first page, since the server rejects a cursor
 * used with other arguments. Show it with ConnectionPager.
 */
export function useCursorPager(pageSize: number, boundTo: readonly unknown[]) {
  const resetKey = JSON.stringify([pageSize, ...boundTo]);
  const [state, setState] = useState<PageState>({ resetKey, cursor: null, pageIndex: 0 });
  const current: PageState = state.resetKey === resetKey ? state : { resetKey, cursor: null, pageIndex: 0 };

  let variables: PageVariables;
  if (current.cursor === null) variables = { first: pageSize };
  else if ('after' in current.cursor) variables = { first: pageSize, after: current.cursor.after };
  else variables = { last: pageSize, before: current.cursor.before };

  return {
    /** Spread into the query's variables. */
    variables,
    pageSize,
    /** 0 for the first page; counts Next and Previous steps from there. */
    pageIndex: current.pageIndex,
    /** Go to the page after the one ending at `endCursor` (pageInfo.endCursor). */
    next(endCursor: string | null | undefined) {
      if (!endCursor) return;
      setState({ resetKey, cursor: { after: endCursor }, pageIndex: current.pageIndex + 1 });
    },
    /** Go to the page before the one starting at `startCursor` (pageInfo.startCursor). */
    previous(startCursor: string | null | undefined) {
      if (!startCursor) return;
      setState({ resetKey, cursor: { before: startCursor }, pageIndex: Math.max(0, current.pageIndex - 1) });
    },
    /** Back to the first page. */
    reset() {
      setState({ resetKey, cursor: null, pageIndex: 0 });
    },
  };
}
