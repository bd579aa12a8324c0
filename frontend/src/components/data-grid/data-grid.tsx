// The reusable report grid: a TanStack Table over one page of server data.
// Sorting, paging and selection are "manual": the grid shows what it is given
// and reports clicks; the screen asks the server for the matching page.
import { Box, Checkbox, Group, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type Updater,
} from '@tanstack/react-table';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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
  /** True while the first page loads (no rows to show yet). */
  loading?: boolean;
  /** True while another page or sort loads; the rows shown are the previous ones. */
  fetching?: boolean;
  emptyMessage?: ReactNode;
  onRowClick?: (row: T) => void;
  /** What a row's checkbox is called ("Select <this>"); default "row <id>". */
  getRowLabel?: (row: T) => string;
  /** With these two, the grid gets a checkbox column. Keys are row ids. */
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (selection: RowSelectionState) => void;
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
  onRowClick,
  getRowLabel,
  rowSelection,
  onRowSelectionChange,
}: DataGridProps<T>) {
  const { t } = useTranslation();
  const selectable = rowSelection !== undefined && onRowSelectionChange !== undefined;

  const selectColumn: ColumnDef<T> = {
    id: SELECT_COLUMN_ID,
    enableSorting: false,
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

  const table = useReactTable<T>({
    data: data as T[],
    columns: selectable ? [selectColumn, ...columns] : columns,
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

  const columnCount = table.getVisibleLeafColumns().length;
  const rows = table.getRowModel().rows;

  function onRowKeyDown(event: KeyboardEvent, row: T) {
    if (event.key === 'Enter' && event.target === event.currentTarget) onRowClick?.(row);
  }

  return (
    <Box pos="relative" style={{ overflowX: 'auto' }}>
      <Table
        aria-label={label}
        aria-busy={loading || fetching}
        striped
        highlightOnHover={Boolean(onRowClick)}
        withTableBorder
        style={{ opacity: fetching ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((headerGroup) => (
            <Table.Tr key={headerGroup.id}>
              {headerGroup.headers.map((header) => {
                const { column } = header;
                const content = flexRender(column.columnDef.header, header.getContext());
                const sortable = column.id !== SELECT_COLUMN_ID && column.getCanSort();
                const sorted = sort.field === column.id ? sort.direction : null;
                return (
                  <Table.Th
                    key={header.id}
                    w={column.id === SELECT_COLUMN_ID ? 40 : undefined}
                    aria-sort={sorted === 'ASC' ? 'ascending' : sorted === 'DESC' ? 'descending' : undefined}
                  >
                    {sortable ? (
                      <UnstyledButton
                        onClick={() => onSortChange(nextSort(sort, column.id))}
                        fw={600}
                        fz="sm"
                      >
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
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                {loading ? (
                  <Group gap="xs" justify="center" py="md">
                    <Loader size="sm" />
                    <Text c="dimmed">{t('grid.loading')}</Text>
                  </Group>
                ) : (
                  <Text c="dimmed" ta="center" py="md">
                    {emptyMessage ?? t('grid.empty')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => (
              <Table.Tr
                key={row.id}
                onClick={onRowClick ? () => onRowClick(row.original) : undefined}
                onKeyDown={onRowClick ? (event) => onRowKeyDown(event, row.original) : undefined}
                tabIndex={onRowClick ? 0 : undefined}
                style={onRowClick ? { cursor: 'pointer' } : undefined}
                bg={row.getIsSelected() ? 'var(--mantine-primary-color-light)' : undefined}
              >
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}
