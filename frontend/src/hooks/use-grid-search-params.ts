// A grid's view kept in the URL search params, so a deep link, a reload or
// Back shows the same view: sort and direction (?sort=NAME&dir=desc), page
// size (?size=50), filters (any other params the screen names) and the page
// (?after=… | ?before=… | ?last=1, with ?page=N; see useCursorPager).
import { useRef } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { GridSort, SortDirection } from '@/components/data-grid';

export const PAGE_SIZES = [20, 30, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 20;

/** The params that name a page; dropped whenever anything a cursor is bound to changes. */
export const PAGE_PARAMS = ['after', 'before', 'last', 'page'] as const;

/** Changes to search params: a string sets the param, null or '' removes it. */
export type ParamChanges = Record<string, string | null | undefined>;

/** Applies changes to a copy of the params; with resetPage, also drops the page (back to page 1). */
export function applyParamChanges(previous: URLSearchParams, changes: ParamChanges, resetPage: boolean): URLSearchParams {
  const next = new URLSearchParams(previous);
  if (resetPage) for (const key of PAGE_PARAMS) next.delete(key);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/**
 * The URL's search params and a way to change some of them. Unlike
 * useSearchParams' setter, changes build on the latest URL even when called
 * from an older render (a debounced filter) or twice before a re-render.
 */
export function useSearchParamsUpdater() {
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const latest = useRef({ key: location.key, params: searchParams });
  // A new location is the newest truth; otherwise keep what was last written.
  if (latest.current.key !== location.key) latest.current = { key: location.key, params: searchParams };

  function update(changes: ParamChanges, { resetPage = true, replace = true }: { resetPage?: boolean; replace?: boolean } = {}) {
    const next = applyParamChanges(latest.current.params, changes, resetPage);
    latest.current = { key: latest.current.key, params: next };
    const search = next.toString();
    void navigate({ pathname: location.pathname, search: search ? `?${search}` : '', hash: location.hash }, { replace });
  }
  return [searchParams, update] as const;
}

interface Options<F extends string> {
  /** Sort fields the server accepts (the grid's SegmentOrderField / CustomerOrderField). */
  fields: readonly F[];
  defaultSort: GridSort<F>;
  /** Page sizes offered (default PAGE_SIZES); another ?size= falls back to the first. */
  pageSizes?: readonly number[];
}

/** Reads sort and page size from search params (exported for tests and non-hook callers). */
export function readGridParams<F extends string>(
  searchParams: URLSearchParams,
  { fields, defaultSort, pageSizes = PAGE_SIZES }: Options<F>,
): { sort: GridSort<F>; pageSize: number } {
  const sortParam = searchParams.get('sort')?.toUpperCase();
  const field = fields.find((f) => f === sortParam) ?? defaultSort.field;
  const dirParam = searchParams.get('dir')?.toUpperCase();
  const direction: SortDirection =
    dirParam === 'ASC' || dirParam === 'DESC' ? dirParam : sortParam ? 'ASC' : defaultSort.direction;
  const sizeParam = Number(searchParams.get('size'));
  const fallback = pageSizes.includes(DEFAULT_PAGE_SIZE) ? DEFAULT_PAGE_SIZE : (pageSizes[0] ?? DEFAULT_PAGE_SIZE);
  const pageSize = pageSizes.includes(sizeParam) ? sizeParam : fallback;
  return { sort: { field, direction }, pageSize };
}

export function useGridSearchParams<F extends string>(options: Options<F>) {
  const [searchParams, setParams] = useSearchParamsUpdater();
  const { sort, pageSize } = readGridParams(searchParams, options);

  /**
   * Changes params in place (history replace). A change of anything but the
   * page goes back to page 1 unless resetPage is false: the server rejects a
   * cursor used with another sort, filter or page size.
   */
  function update(changes: ParamChanges, { resetPage = true }: { resetPage?: boolean } = {}) {
    setParams(changes, { resetPage });
  }

  return {
    searchParams,
    sort,
    pageSize,
    setSort(next: GridSort<F>) {
      update({ sort: next.field, dir: next.direction.toLowerCase() });
    },
    setPageSize(size: number) {
      update({ size: String(size) });
    },
    /** Sets or clears params (e.g. filters) and goes back to page 1. */
    update,
  };
}
