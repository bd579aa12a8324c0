// Keyset paging over a GraphQL connection, with the page in the URL:
//   (nothing)            the first page          { first: size }
//   ?after=C&page=N      the page after cursor C  { first: size, after: C }
//   ?before=C&page=N     the page before C        { last: size, before: C }
//   ?last=1&page=N       the last page            { last: size }
// N is the page's number, shown in the pager (keyset paging has no "jump to
// page N", and needs none). A reload or Back shows the same page.
import { useEffect, useState } from 'react';
import { PAGE_PARAMS, useSearchParamsUpdater } from './use-grid-search-params';

/** The connection arguments that select one page. */
export interface PageVariables {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** The page a URL names, as connection arguments and a page number (1 = first). */
export function readPage(searchParams: URLSearchParams, pageSize: number): { variables: PageVariables; pageNumber: number } {
  const after = searchParams.get('after');
  const before = searchParams.get('before');
  const last = searchParams.get('last') === '1';
  const page = Number(searchParams.get('page'));
  const numbered = Number.isInteger(page) && page >= 1 ? page : undefined;
  if (after) return { variables: { first: pageSize, after }, pageNumber: numbered ?? 2 };
  if (before) return { variables: { last: pageSize, before }, pageNumber: numbered ?? 2 };
  if (last) return { variables: { last: pageSize }, pageNumber: numbered ?? 1 };
  return { variables: { first: pageSize }, pageNumber: 1 };
}

/** The page on screen and the steps to its neighbours (see useCursorPager). */
export interface CursorPager {
  /** Spread into the query's variables. */
  variables: PageVariables;
  pageSize: number;
  /** The page's number as the URL names it: 1 for the first page. */
  pageNumber: number;
  /** pageNumber - 1. */
  pageIndex: number;
  /** Back to the first page. */
  first(): void;
  /**
   * The page after the one ending at `endCursor` (pageInfo.endCursor);
   * `from` is the number of the page on screen (default pageNumber).
   */
  next(endCursor: string | null | undefined, from?: number): void;
  /** The page before the one starting at `startCursor` (pageInfo.startCursor); from page 2, the first page. */
  previous(startCursor: string | null | undefined, from?: number): void;
  /** The last page: `last: size` without a cursor; totalCount numbers it. */
  last(totalCount: number | undefined): void;
  /** Back to the first page without a history entry (e.g. after rows were deleted). */
  reset(): void;
}

const signature = (params: URLSearchParams) => PAGE_PARAMS.map((key) => params.get(key) ?? '').join('|');
const dropPage = Object.fromEntries(PAGE_PARAMS.map((key) => [key, null]));

/**
 * The page of a grid, kept in the URL. Page steps add history entries, so
 * Back goes to the page before. Screens drop the page whenever they change
 * sort, filters or page size (useGridSearchParams does); `boundTo` (any other
 * argument the cursor is bound to, e.g. the segments of a drill-down) is a
 * safety net: when it changes while the URL keeps its cursor, the pager goes
 * back to the first page, since the server rejects a cursor used with other
 * arguments. A history step that changes both together keeps its page.
 */
export function useCursorPager(pageSize: number, boundTo: readonly unknown[] = []): CursorPager {
  const [searchParams, setParams] = useSearchParamsUpdater();
  const key = JSON.stringify([pageSize, ...boundTo]);
  const pageSig = signature(searchParams);
  const [seen, setSeen] = useState({ key, pageSig });
  const hasCursor = pageSig !== signature(new URLSearchParams());
  const stale = seen.key !== key && seen.pageSig === pageSig && hasCursor;
  if (!stale && (seen.key !== key || seen.pageSig !== pageSig)) setSeen({ key, pageSig });

  useEffect(() => {
    if (stale) setParams(dropPage, { resetPage: false });
    // setParams is new every render; only a stale cursor matters.
  }, [stale]); // eslint-disable-line react-hooks/exhaustive-deps

  const { variables, pageNumber } = stale ? readPage(new URLSearchParams(), pageSize) : readPage(searchParams, pageSize);

  function go(changes: Record<string, string | null>, replace = false) {
    setParams(changes, { resetPage: true, replace });
  }

  return {
    variables,
    pageSize,
    pageNumber,
    pageIndex: pageNumber - 1,
    first: () => go({}),
    next(endCursor, from = pageNumber) {
      if (endCursor) go({ after: endCursor, page: String(from + 1) });
    },
    previous(startCursor, from = pageNumber) {
      if (from <= 2 || !startCursor) go({});
      else go({ before: startCursor, page: String(from - 1) });
    },
    last(totalCount) {
      const pages = totalCount === undefined ? undefined : Math.max(1, Math.ceil(totalCount / pageSize));
      go({ last: '1', page: pages === undefined ? null : String(pages) });
    },
    reset: () => go({}, true),
  };
}
