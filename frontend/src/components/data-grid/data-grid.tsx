// The reusable report grid: a TanStack Table over one page of server data.
// Sorting, paging and selection are "manual": the grid shows what it is given
// and reports clicks; the screen asks the server for the matching page.
//
// Rows can be links (getRowHref): every plain cell is an <a> to the row's
// page, so a click, a middle-click, Ctrl-click or "Open in new tab" work as
// on any link; one of them per row (rowLinkColumn) is the keyboard's tab stop
// and the others are hidden from assistive technology. Cells that hold their
// own controls (checkboxes, other links) say so with `meta: { interactive: true }`.
//
// With stickyColumns, the leading columns (and the checkbox column) stay in
// view while the grid scrolls sideways inside its own box.
import { Box, Checkbox, Group, Loader, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type Updater,
} from '@tanstack/react-table';
import { useLayoutEffect, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import classes from './data-grid.module.css';

declare module '@tanstack/react-table' {
  // Type parameters must match TanStack's declaration.
  interface ColumnMeta<TData extends RowData, TValue> {
    /** The cell holds its own controls (links, buttons): it is not part of the row's link. */
    interactive?: boolean;
    /** Keep the cell's content on one line. */
    nowrap?: boolean;
  }
}

export type SortDirection = 'ASC' | 'DESC';

/** The server-side sort: a column id is the server's order field (e.g. NAME). */
export interface GridSort<F extends string = string> {
  field: F;
  direction: SortDirection;
}

export type { RowSelectionState };

export interface DataGridProps<T> {
  /** Accessible name of the table. */
  label: string;
  /**
   * Columns; a sortable column's `id` is the server's order field. Mark a
   * column `enableSorting: false` when the server cannot sort by it.
   */
  // `any` is TanStack's own idiom for columns whose values differ in type.
  columns: ColumnDef<T, any>[];
  data: readonly T[];
  getRowId: (row: T) => string;
  sort: GridSort;
  onSortChange: (sort: GridSort) => void;
  /** True while the first page loads (no rows to show yet): skeleton rows. */
  loading?: boolean;
  /** True while another page or sort loads; the rows shown are the previous ones, dimmed. */
  fetching?: boolean;
  emptyMessage?: ReactNode;
  /** Where a row leads: its cells become links (see the file comment). */
  getRowHref?: (row: T) => string;
  /** The column whose link is the row's keyboard tab stop (default: the first linked column). */
  rowLinkColumn?: string;
  /** Called on a row's click or Enter (rows that are not links). */
  onRowClick?: (row: T) => void;
  /** What a row's checkbox selects ("Select <this>"); default "row <id>". */
  getRowLabel?: (row: T) => string;
  /** With these two, the grid gets a checkbox column. Keys are row ids. */
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (selection: RowSelectionState) => void;
  /** How many leading columns (after the checkbox column, which sticks with them) stay in view when scrolling sideways. */
  stickyColumns?: number;
  /** Skeleton rows while the first page loads. */
  skeletonRows?: number;
  /** A filter row under the header: each column's filter control, by column id. */
  filters?: Record<string, ReactNode>;
  /** Names the filter row (e.g. "Filters"). */
  filtersLabel?: string;
}

const SELECT_COLUMN_ID = '__select';

function resolve<S>(updater: Updater<S>, previous: S): S {
  return typeof updater === 'function' ? (updater as (old: S) => S)(previous) : updater;
}

/** Clicking the sorted column flips its direction; another column sorts ascending. */
export function nextSort(current: GridSort, field: string): GridSort {
  if (current.field === field) return { field, direction: current.direction === 'ASC' ? 'DESC' : 'ASC' };
  return { field, direction: 'ASC' };
}

/** The left offsets (px) of the first `count` header cells, measured. */
function useStickyOffsets(table: HTMLTableElement | null, count: number, deps: unknown[]): number[] {
  const [offsets, setOffsets] = useState<number[]>([]);
  useLayoutEffect(() => {
    if (!table || count === 0) return;
    const measure = () => {
      const cells = Array.from(table.tHead?.rows[0]?.cells ?? []).slice(0, count);
      const next: number[] = [];
      let left = 0;
      for (const cell of cells) {
        next.push(left);
        left += cell.getBoundingClientRect().width;
      }
      setOffsets((old) => (old.length === next.length && old.every((v, i) => v === next[i]) ? old : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(table);
    return () => observer.disconnect();
    // The caller's deps (rows, columns) change the cells' widths.
  }, [table, count, ...deps]);
  return offsets;
}

export function DataGrid<T>({
  label,
  columns,
  data,
  getRowId,
  sort,
  onSortChange,
  loading = false,
  fetching = false,
  emptyMessage,
  getRowHref,
  rowLinkColumn,
  onRowClick,
  getRowLabel,
  rowSelection,
  onRowSelectionChange,
  stickyColumns = 0,
  skeletonRows = 5,
  filters,
  filtersLabel,
}: DataGridProps<T>) {
  const { t } = useTranslation();
  const selectable = rowSelection !== undefined && onRowSelectionChange !== undefined;
  const [tableElement, setTableElement] = useState<HTMLTableElement | null>(null);

  const selectColumn: ColumnDef<T> = {
    id: SELECT_COLUMN_ID,
    enableSorting: false,
    meta: { interactive: true },
    header: ({ table }) => (
      <Checkbox
        aria-label={t('grid.selectAllVisible')}
        checked={table.getIsAllPageRowsSelected()}
        indeterminate={table.getIsSomePageRowsSelected()}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <Checkbox
        aria-label={t('grid.selectRow', { name: getRowLabel ? getRowLabel(row.original) : t('grid.row', { id: row.id }) })}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
        onClick={(event) => event.stopPropagation()}
      />
    ),
  };

  const allColumns = selectable ? [selectColumn, ...columns] : columns;
  const table = useReactTable<T>({
    data: data as T[],
    columns: allColumns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: selectable,
    state: {
      sorting: [{ id: sort.field, desc: sort.direction === 'DESC' }],
      rowSelection: rowSelection ?? {},
    },
    onRowSelectionChange: (updater) => onRowSelectionChange?.(resolve(updater, rowSelection ?? {})),
  });

  const leafColumns = table.getVisibleLeafColumns();
  const columnCount = leafColumns.length;
  const rows = table.getRowModel().rows;
  const stickyCount = stickyColumns > 0 ? Math.min(columnCount, stickyColumns + (selectable ? 1 : 0)) : 0;
  const offsets = useStickyOffsets(tableElement, stickyCount, [data, columns, loading]);
  const linkColumnId =
    rowLinkColumn ?? leafColumns.find((c) => c.id !== SELECT_COLUMN_ID && !c.columnDef.meta?.interactive)?.id;

  function stickyProps(index: number): { className?: string; style?: CSSProperties } {
    if (index >= stickyCount) return {};
    return {
      className: index === stickyCount - 1 ? `${classes.sticky} ${classes.lastSticky}` : classes.sticky,
      style: { left: offsets[index] ?? 0 },
    };
  }

  function onRowKeyDown(event: KeyboardEvent, row: T) {
    if (event.key === 'Enter' && event.target === event.currentTarget) onRowClick?.(row);
  }

  const rowsAreButtons = Boolean(onRowClick) && !getRowHref;

  return (
    <Box className={classes.scroller}>
      <Table
        ref={setTableElement}
        className={classes.table}
        aria-label={label}
        aria-busy={loading || fetching}
        striped
        highlightOnHover={Boolean(onRowClick || getRowHref)}
        withTableBorder
        style={{ opacity: fetching ? 0.55 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((headerGroup) => (
            <Table.Tr key={headerGroup.id}>
              {headerGroup.headers.map((header, index) => {
                const { column } = header;
                const content = flexRender(column.columnDef.header, header.getContext());
                const sortable = column.id !== SELECT_COLUMN_ID && column.getCanSort();
                const sorted = sort.field === column.id ? sort.direction : null;
                return (
                  <Table.Th
                    key={header.id}
                    w={column.id === SELECT_COLUMN_ID ? 40 : undefined}
                    aria-sort={sorted === 'ASC' ? 'ascending' : sorted === 'DESC' ? 'descending' : undefined}
                    {...stickyProps(index)}
                  >
                    {sortable ? (
                      <UnstyledButton onClick={() => onSortChange(nextSort(sort, column.id))} fw={600} fz="sm">
                        <Group gap={4} wrap="nowrap">
                          {content}
                          <Text span fz="xs" c={sorted ? undefined : 'dimmed'} aria-hidden>
                            {sorted === 'ASC' ? '▲' : sorted === 'DESC' ? '▼' : '↕'}
                          </Text>
                        </Group>
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
          {filters ? (
            <Table.Tr aria-label={filtersLabel}>
              {leafColumns.map((column, index) => (
                <Table.Td key={column.id} {...stickyProps(index)} py={4}>
                  {filters[column.id] ?? null}
                </Table.Td>
              ))}
            </Table.Tr>
          ) : null}
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && loading ? (
            <>
              <Table.Tr>
                <Table.Td colSpan={columnCount}>
                  <Group gap="xs" justify="center" py={4}>
                    <Loader size="sm" />
                    <Text c="dimmed">{t('grid.loading')}</Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
              {Array.from({ length: skeletonRows }, (_, i) => (
                <Table.Tr key={`skeleton-${i}`} aria-hidden>
                  {leafColumns.map((c) => (
                    <Table.Td key={c.id}>
                      <Skeleton height={14} radius="sm" />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </>
          ) : rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                {typeof emptyMessage === 'string' || emptyMessage === undefined ? (
                  <Text c="dimmed" ta="center" py="md">
                    {emptyMessage ?? t('grid.empty')}
                  </Text>
                ) : (
                  emptyMessage
                )}
              </Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => {
              const href = getRowHref?.(row.original);
              return (
                <Table.Tr
                  key={row.id}
                  className={row.getIsSelected() ? classes.selected : undefined}
                  onClick={rowsAreButtons ? () => onRowClick?.(row.original) : undefined}
                  onKeyDown={rowsAreButtons ? (event) => onRowKeyDown(event, row.original) : undefined}
                  tabIndex={rowsAreButtons ? 0 : undefined}
                  style={rowsAreButtons ? { cursor: 'pointer' } : undefined}
                  bg={row.getIsSelected() ? 'var(--mantine-primary-color-light)' : undefined}
                >
                  {row.getVisibleCells().map((cell, index) => {
                    const meta = cell.column.columnDef.meta;
                    const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                    const sticky = stickyProps(index);
                    const nowrap = meta?.nowrap ? classes.nowrap : '';
                    if (href === undefined || meta?.interactive) {
                      return (
                        <Table.Td key={cell.id} {...sticky} className={[sticky.className, nowrap].filter(Boolean).join(' ') || undefined}>
                          {content}
                        </Table.Td>
                      );
                    }
                    const primary = cell.column.id === linkColumnId;
                    return (
                      <Table.Td
                        key={cell.id}
                        {...sticky}
                        className={[sticky.className, classes.linkCell, nowrap].filter(Boolean).join(' ')}
                      >
                        <Link
                          to={href}
                          className={primary ? `${classes.rowLink} ${classes.primaryLink}` : classes.rowLink}
                          tabIndex={primary ? undefined : -1}
                          aria-hidden={primary ? undefined : true}
                        >
                          {content}
                        </Link>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
