// Screen: the Customer Segments Report (/segments) — every segment with its
// customer count and last refresh; filter, sort, page, select, refresh, and
// act on the selection. The whole view (filters, sort, page size, page) is in
// the URL; the URL and the selection are kept in sessionStorage so Back from
// any other screen returns to them.
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ConnectionPager, type GridSort } from '@/components/data-grid';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import { useViewer } from '@/features/auth/components/session-gate';
import type { SegmentOrderField } from '@/gql/graphql';
import { useCursorPager } from '@/hooks/use-cursor-pager';
import { useGridSearchParams } from '@/hooks/use-grid-search-params';
import { useStoreTimeZone } from '@/lib/store-settings';
import { useSegments, useWebsites } from '../api/get-segments';
import { SegmentActions } from '../components/segment-actions';
import { SegmentsGrid } from '../components/segments-grid';
import { SelectionActions } from '../components/selection-actions';
import { useSegmentSelection } from '../hooks/use-segment-selection';
import { clearFilterParams, hasFilters, readFilters, toSegmentFilter } from '../utils/filters';
import { permissionsOf } from '../utils/roles';

const SORT_FIELDS: readonly SegmentOrderField[] = ['ID', 'NAME', 'STATUS', 'WEBSITE', 'CUSTOMER_COUNT', 'REFRESHED_AT'];

/** Where the report's last URL is kept (the drill-down's Back goes there). */
export const LAST_URL_STORAGE_KEY = 'segments.report.lastUrl';

function useRememberedUrl() {
  const location = useLocation();
  const url = `${location.pathname}${location.search}`;
  useEffect(() => {
    try {
      sessionStorage.setItem(LAST_URL_STORAGE_KEY, url);
    } catch {
      /* not remembered: Back goes to the plain report */
    }
  }, [url]);
}

export function SegmentsPage() {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const permissions = permissionsOf(viewer.role);
  useRememberedUrl();

  const grid = useGridSearchParams<SegmentOrderField>({
    fields: SORT_FIELDS,
    defaultSort: { field: 'ID', direction: 'ASC' },
  });
  const { sort, pageSize } = grid;
  const filterValues = readFilters(grid.searchParams);
  const filter = toSegmentFilter(filterValues);
  const filtered = hasFilters(filterValues);
  const pager = useCursorPager(pageSize, [sort.field, sort.direction, filter]);
  const query = useSegments(pager.variables, sort, filter);
  const websites = useWebsites();
  const timeZone = useStoreTimeZone();
  const selection = useSegmentSelection();

  const connection = query.data?.segments;
  const rows = connection?.nodes ?? [];
  const visibleIds = rows.map((row) => row.id);
  const clearFilters = () => grid.update(clearFilterParams);

  const pagerProps = {
    pager,
    connection,
    onPageSizeChange: grid.setPageSize,
    fetching: query.isFetching,
    placeholder: query.isPlaceholderData,
  };

  let empty;
  if (query.error) empty = t('empty.loadFailed');
  else if (filtered)
    empty = (
      <Stack align="center" gap="xs" py="md">
        <Text c="dimmed">{t('empty.noMatch')}</Text>
        <Button size="xs" variant="light" onClick={clearFilters}>
          {t('filters.clear')}
        </Button>
      </Stack>
    );
  else
    empty = (
      <Stack align="center" gap="xs" py="md">
        <Text c="dimmed">{t('empty.noSegments')}</Text>
        {permissions.edit ? (
          <Button size="xs" component={Link} to={paths.segmentNew}>
            {t('actions.newSegment')}
          </Button>
        ) : null}
      </Stack>
    );

  const neverRefreshed = !query.isPlaceholderData && rows.length > 0 && rows.every((row) => !row.refreshedAt);

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Title order={1} fz="h2">
          {t('title')}
        </Title>
        {filtered ? (
          <Button size="compact-sm" variant="subtle" onClick={clearFilters}>
            {t('filters.clear')}
          </Button>
        ) : null}
      </Group>

      <Paper withBorder p="xs" radius="sm">
        <Stack gap={6}>
          <SelectionActions
            selectedCount={selection.selectedIds.length}
            visibleCount={visibleIds.length}
            selectingAll={selection.selectingAll}
            onSelectAll={() => selection.selectAll(filter)}
            onDeselectAll={selection.deselectAll}
            onSelectVisible={() => selection.selectVisible(visibleIds)}
            onUnselectVisible={() => selection.unselectVisible(visibleIds)}
          />
          <SegmentActions
            selectedIds={selection.selectedIds}
            permissions={permissions}
            onDeleted={selection.remove}
            neverRefreshed={neverRefreshed}
          />
        </Stack>
      </Paper>

      {selection.selectAllError ? (
        <ErrorAlert error={selection.selectAllError} title={t('selection.selectAllFailed')} />
      ) : null}
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {websites.error && !query.error ? <ErrorAlert error={websites.error} onRetry={() => void websites.refetch()} /> : null}

      <ConnectionPager {...pagerProps} position="top" />

      <SegmentsGrid
        data={rows}
        sort={sort}
        onSortChange={(next) => grid.setSort(next as GridSort<SegmentOrderField>)}
        loading={query.isPending}
        fetching={query.isFetching && !query.isPending}
        emptyMessage={empty}
        rowSelection={selection.selection}
        onRowSelectionChange={selection.setSelection}
        timeZone={timeZone.data ?? 'UTC'}
        canViewCustomers={permissions.viewCustomers}
        filterValues={filterValues}
        onFilterChange={(param, value) => grid.update({ [param]: value })}
        websites={websites.data ?? []}
      />

      <ConnectionPager {...pagerProps} position="bottom" />
    </Stack>
  );
}
