// The drill-down grid's columns: ID, Name, Email, Group, Phone, ZIP, Country
// (named in the viewer's language), State/Province, Customer Since (in the
// store's time zone), as in the exports. Every column sorts on the server.
import { createColumnHelper } from '@tanstack/react-table';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DataGrid, type DataGridProps } from '@/components/data-grid';
import type { SegmentCustomersQuery } from '@/gql/graphql';
import { formatCountry, formatDateTime } from '@/lib/format';

export type CustomerRow = SegmentCustomersQuery['segmentCustomers']['nodes'][number];

const column = createColumnHelper<CustomerRow>();

// Column ids are the server's CustomerOrderField values.
function customerColumns(t: TFunction<'segment-customers'>, timeZone: string) {
  return [
    column.accessor('id', { id: 'ID', header: t('column.id') }),
    column.accessor('name', { id: 'NAME', header: t('column.name') }),
    column.accessor('email', { id: 'EMAIL', header: t('column.email') }),
    column.accessor((row) => row.group.name, { id: 'GROUP', header: t('column.group') }),
    column.accessor((row) => row.phone ?? '', { id: 'PHONE', header: t('column.phone') }),
    column.accessor((row) => row.zip ?? '', { id: 'ZIP', header: t('column.zip') }),
    column.accessor((row) => formatCountry(row.country?.code), { id: 'COUNTRY', header: t('column.country') }),
    column.accessor((row) => row.region ?? '', { id: 'REGION', header: t('column.region') }),
    column.accessor('customerSince', {
      id: 'CUSTOMER_SINCE',
      header: t('column.customerSince'),
      cell: ({ getValue }) => formatDateTime(getValue(), timeZone),
    }),
  ];
}

type CustomersGridProps = Omit<DataGridProps<CustomerRow>, 'columns' | 'getRowId' | 'label'> & {
  timeZone: string;
};

export function CustomersGrid({ timeZone, ...props }: CustomersGridProps) {
  const { t, i18n } = useTranslation('segment-customers');
  // Rebuilt on a language switch: headers and country names follow it.
  const columns = useMemo(() => customerColumns(t, timeZone), [t, timeZone, i18n.language]);
  return <DataGrid label={t('grid.label')} columns={columns} getRowId={(row) => row.id} {...props} />;
}
