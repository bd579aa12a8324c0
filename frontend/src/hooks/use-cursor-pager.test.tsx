import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation, useNavigate, type NavigateFunction } from 'react-router';
import { describe, expect, it } from 'vitest';
import { readPage, useCursorPager, type CursorPager } from './use-cursor-pager';
import { applyParamChanges, readGridParams, useGridSearchParams } from './use-grid-search-params';

/** Renders a hook inside a memory router at `url`; `location()` reads the URL, `back()` steps back. */
function renderAt<P, R>(url: string, hook: (props: P) => R, initialProps?: P) {
  let location = '';
  let navigate: NavigateFunction | undefined;
  function Probe({ children }: { children: ReactNode }) {
    const l = useLocation();
    navigate = useNavigate();
    location = `${l.pathname}${l.search}`;
    return <>{children}</>;
  }
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[url]}>
      <Probe>{children}</Probe>
    </MemoryRouter>
  );
  const result = renderHook(hook, { wrapper, initialProps });
  return {
    ...result,
    location: () => location,
    back: () => act(() => void navigate!(-1)),
  };
}

const usePager = ({ size, bound }: { size: number; bound: unknown[] }) => useCursorPager(size, bound);

describe('readPage', () => {
  it('reads the four kinds of page from the URL', () => {
    expect(readPage(new URLSearchParams(''), 20)).toEqual({ variables: { first: 20 }, pageNumber: 1 });
    expect(readPage(new URLSearchParams('after=c20&page=2'), 20)).toEqual({
      variables: { first: 20, after: 'c20' },
      pageNumber: 2,
    });
    expect(readPage(new URLSearchParams('before=c41&page=2'), 50)).toEqual({
      variables: { last: 50, before: 'c41' },
      pageNumber: 2,
    });
    expect(readPage(new URLSearchParams('last=1&page=3'), 20)).toEqual({ variables: { last: 20 }, pageNumber: 3 });
    // A page number without a cursor is the first page; a bad number is ignored.
    expect(readPage(new URLSearchParams('page=7'), 20)).toEqual({ variables: { first: 20 }, pageNumber: 1 });
    expect(readPage(new URLSearchParams('after=c&page=x'), 20).pageNumber).toBe(2);
  });
});

describe('useCursorPager', () => {
  it('pages First / Next / Previous / Last through the URL, and Back goes to the page before', () => {
    const { result, location, back } = renderAt('/grid?sort=NAME', usePager, { size: 20, bound: [] });
    const pager = () => result.current as CursorPager;
    expect(pager().variables).toEqual({ first: 20 });
    expect(pager().pageNumber).toBe(1);

    act(() => pager().next('c20'));
    expect(location()).toBe('/grid?sort=NAME&after=c20&page=2');
    expect(pager().variables).toEqual({ first: 20, after: 'c20' });

    act(() => pager().next('c40'));
    expect(pager().pageNumber).toBe(3);

    act(() => pager().previous('c41'));
    expect(location()).toBe('/grid?sort=NAME&before=c41&page=2');
    expect(pager().variables).toEqual({ last: 20, before: 'c41' });

    // From page 2, Previous is the first page itself (no cursor).
    act(() => pager().previous('c21'));
    expect(location()).toBe('/grid?sort=NAME');
    expect(pager().variables).toEqual({ first: 20 });

    act(() => pager().last(45));
    expect(location()).toBe('/grid?sort=NAME&last=1&page=3');
    expect(pager().variables).toEqual({ last: 20 });
    expect(pager().pageNumber).toBe(3);

    act(() => pager().next(null)); // no cursor: stays
    expect(pager().pageNumber).toBe(3);

    back();
    expect(location()).toBe('/grid?sort=NAME');
    back();
    expect(location()).toBe('/grid?sort=NAME&before=c41&page=2');
    expect(pager().variables).toEqual({ last: 20, before: 'c41' });

    act(() => pager().first());
    expect(location()).toBe('/grid?sort=NAME');
  });

  it('numbers pages from the one on screen when told', () => {
    const { result, location } = renderAt('/grid?last=1', usePager, { size: 20, bound: [] });
    act(() => result.current.previous('c26', 3));
    expect(location()).toBe('/grid?before=c26&page=2');
  });

  it('keeps the page of a reloaded URL', () => {
    const { result } = renderAt('/grid?after=c40&page=3', usePager, { size: 20, bound: ['NAME'] });
    expect(result.current.variables).toEqual({ first: 20, after: 'c40' });
    expect(result.current.pageNumber).toBe(3);
  });

  it('goes back to the first page when what the cursor is bound to changes under it', () => {
    const { result, rerender, location } = renderAt('/grid', usePager, { size: 20, bound: ['ID', 'ASC'] });
    act(() => result.current.next('c20'));
    rerender({ size: 20, bound: ['ID', 'ASC'] }); // same values, new array: stays
    expect(result.current.variables).toEqual({ first: 20, after: 'c20' });
    rerender({ size: 20, bound: ['NAME', 'ASC'] });
    expect(result.current.variables).toEqual({ first: 20 });
    expect(result.current.pageNumber).toBe(1);
    expect(location()).toBe('/grid');
  });
});

describe('useGridSearchParams', () => {
  const options = { fields: ['ID', 'NAME'] as const, defaultSort: { field: 'ID' as const, direction: 'ASC' as const } };

  it('reads sort, direction and page size, falling back to the defaults', () => {
    expect(readGridParams(new URLSearchParams('sort=name&dir=desc&size=30'), options)).toEqual({
      sort: { field: 'NAME', direction: 'DESC' },
      pageSize: 30,
    });
    expect(readGridParams(new URLSearchParams('sort=bogus&size=7'), options)).toEqual({
      sort: { field: 'ID', direction: 'ASC' },
      pageSize: 20,
    });
    for (const size of [20, 30, 50, 100, 200]) {
      expect(readGridParams(new URLSearchParams(`size=${size}`), options).pageSize).toBe(size);
    }
  });

  it('drops the page whenever sort, page size or a filter changes', () => {
    const { result, location } = renderAt('/grid?name=vip&after=c20&page=2', () => useGridSearchParams(options));
    act(() => result.current.setSort({ field: 'NAME', direction: 'DESC' }));
    expect(location()).toBe('/grid?name=vip&sort=NAME&dir=desc');

    act(() => result.current.update({ name: 'gold' }, { resetPage: false }));
    act(() => result.current.setPageSize(50));
    expect(location()).toBe('/grid?name=gold&sort=NAME&dir=desc&size=50');
    expect(result.current.pageSize).toBe(50);

    act(() => result.current.update({ name: null, status: 'ACTIVE' }));
    expect(location()).toBe('/grid?sort=NAME&dir=desc&size=50&status=ACTIVE');
  });

  it('applies changes to a copy: empty values remove params', () => {
    const before = new URLSearchParams('a=1&page=2&after=c');
    const after = applyParamChanges(before, { a: '', b: '2' }, true);
    expect(after.toString()).toBe('b=2');
    expect(before.toString()).toBe('a=1&page=2&after=c');
  });
});
