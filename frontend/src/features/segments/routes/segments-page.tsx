// Screen: the Customer Segments Report (/segments) — every segment with its
// customer count; sort, page, select, and drill into customers.
import { Stack, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { ConnectionPager, type GridSort } from '@/components/data-grid';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import type { SegmentOrderField } from '@/gql/graphql';
import { useCursorPager } from '@/hooks/use-cursor-pager';
import { useGridSearchParams } from '@/hooks/use-grid-search-params';
import { useSegments } from '../api/get-segments';
import { SegmentsGrid } from '../components/segments-grid';
import { SelectionActions } from '../components/selection-actions';
import { useSegmentSelection } from '../hooks/use-segment-selection';

const SORT_FIELDS: readonly SegmentOrderField[] = ['ID', 'NAME', 'STATUS', 'WEBSITE', 'CUSTOMER_COUNT', 'REFRESHED_AT'];

export function SegmentsPage() {
  const navigate = useNavigate();
  const { sort, pageSize, setSort, setPageSize } = useGridSearchParams<SegmentOrderField>({
    fields: SORT_FIELDS,
    defaultSort: { field: 'ID', direction: 'ASC' },
  });
  const pager = useCursorPager(pageSize, [sort.field, sort.direction]);
  const query = useSegments(pager.variables, sort);
  const selection = useSegmentSelection();

  const connection = query.data?.segments;
  const rows = connection?.nodes ?? [];
  const visibleIds = rows.map((row) => row.id);

  return (
    <Stack gap="md">
      <Title order={2}>Customer Segments Report</Title>

      {query.error ? <ErrorAlert error={query.error} /> : null}
      {selection.selectAllError ? <ErrorAlert error={selection.selectAllError} title="Select All failed" /> : null}

      <ConnectionPager
        pager={pager}
        connection={connection}
        onPageSizeChange={setPageSize}
        fetching={query.isFetching}
        placeholder={query.isPlaceholderData}
      />

      <SelectionActions
        selectedCount={selection.selectedIds.length}
        visibleCount={visibleIds.length}
        selectingAll={selection.selectingAll}
        onSelectAll={selection.selectAll}
        onDeselectAll={selection.deselectAll}
        onSelectVisible={() => selection.selectVisible(visibleIds)}
        onUnselectVisible={() => selection.unselectVisible(visibleIds)}
        onViewCustomers={(mode) => navigate(paths.segmentCustomers(selection.selectedIds, mode))}
      />

      <SegmentsGrid
        data={rows}
        sort={sort}
        onSortChange={(next) => setSort(next as GridSort<SegmentOrderField>)}
        loading={query.isPending}
        fetching={query.isFetching && !query.isPending}
        emptyMessage={query.error ? 'Segments could not be loaded.' : 'No segments yet.'}
        onRowClick={(row) => navigate(paths.segmentCustomers([row.id]))}
        rowSelection={selection.selection}
        onRowSelectionChange={selection.setSelection}
      />
    </Stack>
  );
}
