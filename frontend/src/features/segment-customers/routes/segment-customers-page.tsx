// Screen: the customers of one segment, or of several combined
// (/segments/:ids/customers?mode=union|intersection&sort=…&dir=…&size=…).
import { Anchor, Stack } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { ConnectionPager, type GridSort } from '@/components/data-grid';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import type { CustomerOrderField } from '@/gql/graphql';
import { useCursorPager } from '@/hooks/use-cursor-pager';
import { useGridSearchParams } from '@/hooks/use-grid-search-params';
import { useStoreTimeZone } from '@/lib/store-settings';
import { useSegmentCustomers, useSegmentSummaries } from '../api/get-segment-customers';
import { CustomersGrid } from '../components/customers-grid';
import { ExportPanel } from '../components/export-panel';
import { SegmentsHeader } from '../components/segments-header';
import { parseDrillDown } from '../utils/route-params';

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
  const params = useParams();
  const [searchParams] = useSearchParams();
  const { ids, mode, problem } = parseDrillDown(params.ids, searchParams.get('mode'));

  const { sort, pageSize, setSort, setPageSize } = useGridSearchParams<CustomerOrderField>({
    fields: SORT_FIELDS,
    defaultSort: { field: 'ID', direction: 'ASC' },
  });
  const pager = useCursorPager(pageSize, [ids, mode, sort.field, sort.direction]);
  const customers = useSegmentCustomers(ids, mode, pager.variables, sort);
  const summaries = useSegmentSummaries(ids);
  const timeZone = useStoreTimeZone();

  const back = (
    <Anchor component={Link} to={paths.segments} fz="sm">
      ← Back to segments
    </Anchor>
  );

  if (problem) {
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert error={new Error(problem)} title="Cannot show these customers" />
      </Stack>
    );
  }

  const connection = customers.data?.segmentCustomers;
  const emptyMessage =
    ids.length === 1
      ? 'No customers in this segment yet — refresh segment data'
      : mode === 'INTERSECTION'
        ? 'No customer is in all of these segments — or refresh segment data'
        : 'No customers in these segments yet — refresh segment data';

  return (
    <Stack gap="md">
      {back}
      <SegmentsHeader mode={mode} timeZone={timeZone.data} summaries={summaries} />

      <ExportPanel segmentIds={ids} mode={mode} orderBy={sort} />

      {customers.error ? <ErrorAlert error={customers.error} /> : null}
      {timeZone.error ? <ErrorAlert error={timeZone.error} title="Store settings could not be loaded" /> : null}

      <ConnectionPager
        pager={pager}
        connection={connection}
        onPageSizeChange={setPageSize}
        fetching={customers.isFetching}
      />

      <CustomersGrid
        // Times wait for the store's time zone rather than show UTC first.
        data={timeZone.data ? (connection?.nodes ?? []) : []}
        timeZone={timeZone.data ?? 'UTC'}
        sort={sort}
        onSortChange={(next) => setSort(next as GridSort<CustomerOrderField>)}
        loading={customers.isPending || timeZone.isPending}
        fetching={customers.isFetching && !customers.isPending}
        emptyMessage={customers.error || timeZone.error ? 'Customers could not be loaded.' : emptyMessage}
      />
    </Stack>
  );
}
