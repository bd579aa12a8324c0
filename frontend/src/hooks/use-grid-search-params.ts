// Sort field, direction and page size of a grid, kept in the URL search params
// (?sort=NAME&dir=desc&size=50) so a deep link or a reload shows the same view.
import { useSearchParams } from 'react-router';
import type { GridSort, SortDirection } from '@/components/data-grid';

export const PAGE_SIZES = [20, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 20;

interface Options<F extends string> {
  /** Sort fields the server accepts (the grid's SegmentOrderField / CustomerOrderField). */
  fields: readonly F[];
  defaultSort: GridSort<F>;
}

export function useGridSearchParams<F extends string>({ fields, defaultSort }: Options<F>) {
  const [searchParams, setSearchParams] = useSearchParams();

  const sortParam = searchParams.get('sort')?.toUpperCase();
  const field = fields.find((f) => f === sortParam) ?? defaultSort.field;
  const dirParam = searchParams.get('dir')?.toUpperCase();
  const direction: SortDirection =
    dirParam === 'ASC' || dirParam === 'DESC' ? dirParam : sortParam ? 'ASC' : defaultSort.direction;
  const sizeParam = Number(searchParams.get('size'));
  const pageSize = (PAGE_SIZES as readonly number[]).includes(sizeParam) ? sizeParam : DEFAULT_PAGE_SIZE;

  function update(changes: Record<string, string>) {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) next.set(key, value);
        return next;
      },
      { replace: true },
    );
  }

  return {
    sort: { field, direction } as GridSort<F>,
    pageSize,
    setSort(sort: GridSort<F>) {
      update({ sort: sort.field, dir: sort.direction.toLowerCase() });
    },
    setPageSize(size: number) {
      update({ size: String(size) });
    },
  };
}
