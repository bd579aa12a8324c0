import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useCursorPager } from './use-cursor-pager';

describe('useCursorPager', () => {
  it('moves forward with first/after and back with last/before', () => {
    const { result } = renderHook(() => useCursorPager(20, ['k']));
    expect(result.current.variables).toEqual({ first: 20 });

    act(() => result.current.next('c20'));
    expect(result.current.variables).toEqual({ first: 20, after: 'c20' });
    expect(result.current.pageIndex).toBe(1);

    act(() => result.current.previous('c21'));
    expect(result.current.variables).toEqual({ last: 20, before: 'c21' });
    expect(result.current.pageIndex).toBe(0);

    act(() => result.current.next(null)); // no cursor: stays
    expect(result.current.variables).toEqual({ last: 20, before: 'c21' });
  });

  it('goes back to the first page when what the cursor is bound to changes', () => {
    const { result, rerender } = renderHook(({ bound }) => useCursorPager(20, bound), {
      initialProps: { bound: ['ID', 'ASC'] },
    });
    act(() => result.current.next('c20'));
    rerender({ bound: ['ID', 'ASC'] }); // same values, new array: stays
    expect(result.current.variables).toEqual({ first: 20, after: 'c20' });
    rerender({ bound: ['NAME', 'ASC'] });
    expect(result.current.variables).toEqual({ first: 20 });
    expect(result.current.pageIndex).toBe(0);
  });

  it('goes back to the first page when the page size changes', () => {
    const { result, rerender } = renderHook(({ size }) => useCursorPager(size, []), { initialProps: { size: 20 } });
    act(() => result.current.next('c20'));
    rerender({ size: 50 });
    expect(result.current.variables).toEqual({ first: 50 });
    expect(result.current.pageIndex).toBe(0);
  });
});
