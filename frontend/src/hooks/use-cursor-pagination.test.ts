import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useCursorPagination } from './use-cursor-pagination';

describe('useCursorPagination', () => {
  it('moves forward with first/after and back with last/before', () => {
    const { result } = renderHook(() => useCursorPagination(20, 'k'));
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

  it('goes back to the first page when the reset key changes', () => {
    const { result, rerender } = renderHook(({ size, key }) => useCursorPagination(size, key), {
      initialProps: { size: 20, key: 'ID:ASC' },
    });
    act(() => result.current.next('c20'));
    rerender({ size: 50, key: 'NAME:ASC' });
    expect(result.current.variables).toEqual({ first: 50 });
    expect(result.current.pageIndex).toBe(0);
  });
});
