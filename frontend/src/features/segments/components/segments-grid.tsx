// The segments grid: Select, ID, Segment (a link to the segment's page),
// Status, Website, Customers (a link to its customers for roles that may
// see them), Refreshed; a filter row under the header; rows are links to the
// segment's page; ID and Segment stay in view when the grid scrolls sideways.
import { Anchor, Badge, Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataGrid, type DataGridProps } from '@/components/data-grid';
import { paths } from '@/config/paths';
import type { SegmentsGridQuery } from '@/gql/graphql';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format';
import type { FilterParam, FilterValues } from '../utils/filters';
import { NumberFilter, SelectFilter, TextFilter } from './filter-inputs';

export type SegmentRow = SegmentsGridQuery['segments']['nodes'][number];

const column = createColumnHelper<SegmentRow>();

// Badge text dark enough for WCAG AA contrast on the badges' light tints
// (Mantine's light variant uses shade 6, too pale for small text).
const badgeText = {
  green: { '--badge-color': '#1f5f2c' },
  gray: { '--badge-color': '#343a40' },
  orange: { '--badge-color': '#8a3c00' },
  yellow: { '--badge-color': '#5c4300' },
} as Record<string, CSSProperties>;

function Refreshed({ row, timeZone }: { row: SegmentRow; timeZone: string }) {
  const { t } = useTranslation('segments');
  if (!row.refreshedAt) {
    return (
      <Badge color="orange" variant="light" tt="none" size="sm" style={badgeText.orange} styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}>
        {t('refreshed.never')}
      </Badge>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Text span fz="sm" title={t('refreshed.exact', { time: formatDateTime(row.refreshedAt, timeZone) })}>
        {formatRelative(row.refreshedAt)}
      </Text>
      {row.membershipStale ? (
        <Badge color="yellow" variant="light" tt="none" size="sm" style={badgeText.yellow} title={t('refreshed.staleTitle')}>
          {t('refreshed.stale')}
        </Badge>
      ) : null}
    </Group>
  );
}

export interface SegmentsGridProps
  extends Omit<DataGridProps<SegmentRow>, 'columns' | 'getRowId' | 'label' | 'filters' | 'getRowHref' | 'getRowLabel'> {
  timeZone: string;
  /** Whether the viewer may open customer rows (VIEWER and up): the count links to them. */
  canViewCustomers: boolean;
  filterValues: FilterValues;
  onFilterChange: (param: FilterParam, value: string) => void;
  websites: { id: string; name: string }[];
}

export function SegmentsGrid({
  timeZone,
  canViewCustomers,
  filterValues,
  onFilterChange,
  websites,
  ...props
}: SegmentsGridProps) {
  const { t, i18n } = useTranslation('segments');

  // Column ids are the server's SegmentOrderField values.
  const columns = useMemo(
    () => [
      column.accessor('id', { id: 'ID', header: t('columns.id') }),
      column.accessor('name', { id: 'NAME', header: t('columns.name') }),
      column.accessor('status', {
        id: 'STATUS',
        header: t('columns.status'),
        cell: ({ getValue }) => (
          <Badge
            color={getValue() === 'ACTIVE' ? 'green' : 'gray'}
            variant="light"
            tt="none"
            style={getValue() === 'ACTIVE' ? badgeText.green : badgeText.gray}
          >
            {t(`status.${getValue()}`)}
          </Badge>
        ),
      }),
      column.accessor((row) => row.websites.map((w) => w.name).join(', '), {
        id: 'WEBSITE',
        header: t('columns.website'),
      }),
      column.accessor('customerCount', {
        id: 'CUSTOMER_COUNT',
        header: t('columns.customers'),
        meta: { interactive: canViewCustomers, nowrap: true },
        cell: ({ getValue, row }) =>
          canViewCustomers ? (
            <Anchor
              component={Link}
              to={paths.segmentCustomers([row.original.id])}
              fz="sm"
              c="blue.9"
              aria-label={t('customersOf', { name: row.original.name })}
            >
              {formatCount(getValue())}
            </Anchor>
          ) : (
            formatCount(getValue())
          ),
      }),
      column.accessor('refreshedAt', {
        id: 'REFRESHED_AT',
        header: t('columns.refreshed'),
        meta: { nowrap: true },
        cell: ({ row }) => <Refreshed row={row.original} timeZone={timeZone} />,
      }),
    ],
    // The language is a dependency: headers and relative times follow it.
    [t, i18n.language, timeZone, canViewCustomers],
  );

  const set = (param: FilterParam) => (value: string) => onFilterChange(param, value);
  const filters = {
    ID: (
      <Group gap={4} wrap="nowrap">
        <NumberFilter label={t('filters.idMin')} placeholder={t('filters.from')} value={filterValues.idMin} onChange={set('idMin')} width={64} />
        <NumberFilter label={t('filters.idMax')} placeholder={t('filters.to')} value={filterValues.idMax} onChange={set('idMax')} width={64} />
      </Group>
    ),
    NAME: (
      <TextFilter label={t('filters.name')} placeholder={t('filters.namePlaceholder')} value={filterValues.name} onChange={set('name')} />
    ),
    STATUS: (
      <SelectFilter
        label={t('filters.status')}
        value={filterValues.status}
        onChange={set('status')}
        data={[
          { value: '', label: t('filters.anyStatus') },
          { value: 'active', label: t('status.ACTIVE') },
          { value: 'inactive', label: t('status.INACTIVE') },
        ]}
        width={110}
      />
    ),
    WEBSITE: (
      <SelectFilter
        label={t('filters.website')}
        value={filterValues.website}
        onChange={set('website')}
        data={[{ value: '', label: t('filters.anyWebsite') }, ...websites.map((w) => ({ value: w.id, label: w.name }))]}
        width={140}
      />
    ),
    CUSTOMER_COUNT: (
      <Group gap={4} wrap="nowrap">
        <NumberFilter label={t('filters.countMin')} placeholder={t('filters.from')} value={filterValues.countMin} onChange={set('countMin')} />
        <NumberFilter label={t('filters.countMax')} placeholder={t('filters.to')} value={filterValues.countMax} onChange={set('countMax')} />
      </Group>
    ),
  };

  return (
    <DataGrid
      label={t('gridLabel')}
      columns={columns}
      getRowId={(row) => row.id}
      getRowHref={(row) => paths.segment(row.id)}
      rowLinkColumn="NAME"
      getRowLabel={(row) => t('rowLabel', { name: row.name })}
      stickyColumns={2}
      filters={filters}
      filtersLabel={t('filters.label')}
      {...props}
    />
  );
}
