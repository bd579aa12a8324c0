// Screen: the customers of one segment, or of several combined, less those of
// excluded segments (/segments/:ids/customers?mode=union|intersection
// &exclude=…&<filters>&sort=…&dir=…&size=…). Everything it shows is in the
// address (see utils/route-params), so a reload or a shared link shows the same.
import { Alert, Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ConnectionPager, type GridSort } from '@/components/data-grid';
import { ErrorAlert } from '@/components/error-alert';
import { useSession } from '@/features/auth/api/use-session';
import type { CustomerOrderField, SegmentSetMode } from '@/gql/graphql';
import { useCursorPager } from '@/hooks/use-cursor-pager';
import { applyParamChanges, useGridSearchParams } from '@/hooks/use-grid-search-params';
import { formatCount } from '@/lib/format';
import { useStoreTimeZone } from '@/lib/store-settings';
import {
  type CustomerSet,
  useSegmentCustomerCount,
  useSegmentCustomers,
  useSegmentSummaries,
} from '../api/get-segment-customers';
import { CustomerFilters } from '../components/customer-filters';
import { CustomersGrid } from '../components/customers-grid';
import { ExportPanel } from '../components/export-panel';
import { SegmentsHeader } from '../components/segments-header';
import { reportUrl } from '../utils/back';
import { canExport, canSeeCustomers } from '../utils/permissions';
import {
  type CustomerFilterState,
  hasFilters,
  parseDrillDown,
  readFilters,
  toCustomerFilter,
  writeFilters,
} from '../utils/route-params';

const SORT_FIELDS: readonly CustomerOrderField[] = [
  'ID',
  'NAME',
  'EMAIL',
  'GROUP',
  'PHONE',
  'ZIP',
  'COUNTRY',
  'REGION',
  'CUSTOMER_SINCE',
];

export function SegmentCustomersPage() {
  const { t } = useTranslation('segment-customers');
  const params = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const { ids, mode, exclude, problem } = parseDrillDown(params.ids, searchParams);
  const search = searchParams.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(search)), [search]);
  const role = useSession().data?.role;
  const rows = canSeeCustomers(role);
  const timeZone = useStoreTimeZone();

  const { sort, pageSize, setSort, setPageSize, update } = useGridSearchParams<CustomerOrderField>({
    fields: SORT_FIELDS,
    defaultSort: { field: 'ID', direction: 'ASC' },
  });
  const filter = timeZone.data ? toCustomerFilter(filters, timeZone.data, rows) : undefined;
  const set: CustomerSet = { segmentIds: ids, mode, excludeSegmentIds: exclude, filter };
  // Bound to what the address says (not to the filter built once the time zone is known).
  const pager = useCursorPager(pageSize, [ids, mode, exclude, filters, sort.field, sort.direction]);
  // Days filter in the store's time zone: wait for it rather than guess.
  const customers = useSegmentCustomers(set, pager.variables, sort, rows && timeZone.data !== undefined);
  const count = useSegmentCustomerCount(set, !rows && timeZone.data !== undefined);
  const summaries = useSegmentSummaries([...ids, ...exclude]);

  // A new mode or filter lists other customers: from page 1 (the cursor is bound to them).
  const setMode = (next: SegmentSetMode) => update({ mode: next.toLowerCase() });
  const setFilters = useCallback(
    (patch: Partial<CustomerFilterState>) =>
      setSearchParams(
        (previous) => applyParamChanges(writeFilters(previous, { ...readFilters(previous), ...patch }), {}, true),
        { replace: true },
      ),
    [setSearchParams],
  );

  const back = (
    <Anchor component={Link} to={reportUrl()} fz="sm">
      {t('back')}
    </Anchor>
  );

  if (problem) {
    return (
      <Stack gap="md">
        {back}
        <Title order={1} fz="h2">
          {t('title.generic')}
        </Title>
        <ErrorAlert error={new Error(t(problem.key, problem.values))} title={t('address.title')} />
      </Stack>
    );
  }

  const filtered = hasFilters(filters);
  // The same pager above and below the grid.
  const pagerProps = {
    pager,
    connection: customers.data?.segmentCustomers,
    onPageSizeChange: setPageSize,
    fetching: customers.isFetching,
    placeholder: customers.isPlaceholderData,
  };
  const connection = customers.data?.segmentCustomers;
  const emptyMessage = filtered
    ? t('empty.filtered')
    : exclude.length > 0
      ? t('empty.excluded')
      : ids.length === 1
        ? t('empty.one')
        : mode === 'INTERSECTION'
          ? t('empty.intersection')
          : t('empty.union');

  return (
    <Stack gap="md">
      {back}
      <SegmentsHeader
        mode={mode}
        onModeChange={setMode}
        timeZone={timeZone.data}
        summaries={summaries.slice(0, ids.length)}
        excluded={summaries.slice(ids.length)}
      />

      <CustomerFilters filters={filters} onChange={setFilters} rows={rows} />

      {timeZone.error ? (
        <ErrorAlert error={timeZone.error} title={t('storeSettingsFailed')} onRetry={() => void timeZone.refetch()} />
      ) : null}

      {rows ? (
        <>
          {canExport(role) ? <ExportPanel set={set} orderBy={sort} /> : null}
          {customers.error ? <ErrorAlert error={customers.error} onRetry={() => void customers.refetch()} /> : null}

          <ConnectionPager {...pagerProps} label={t('pager.top')} />
          <CustomersGrid
            data={connection?.nodes ?? []}
            timeZone={timeZone.data ?? 'UTC'}
            sort={sort}
            onSortChange={(next) => setSort(next as GridSort<CustomerOrderField>)}
            loading={customers.isPending && !customers.error && !timeZone.error}
            fetching={customers.isFetching && !customers.isPending}
            emptyMessage={customers.error || timeZone.error ? t('empty.failed') : emptyMessage}
            // ID and Name stay in view while the grid scrolls sideways (narrow screens).
            stickyColumns={2}
          />
          <ConnectionPager {...pagerProps} position="bottom" label={t('pager.bottom')} />
        </>
      ) : (
        <Paper withBorder p="md" data-testid="customer-count">
          {count.error ? <ErrorAlert error={count.error} onRetry={() => void count.refetch()} /> : null}
          <Text fw={600} fz="lg" aria-live="polite">
            {count.data === undefined ? '…' : t('countOnly.count', { count: count.data, formatted: formatCount(count.data) })}
          </Text>
          <Alert variant="light" color="blue" mt="sm" title={t('countOnly.title')}>
            {t('countOnly.explanation')}
          </Alert>
        </Paper>
      )}
    </Stack>
  );
}
