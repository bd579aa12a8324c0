// The drill-down grid's columns: ID, Name, Email, Group, Phone, ZIP, Country,
// State/Province, Customer Since (in the store's time zone), as in the exports.
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataGrid, type DataGridProps } from '@/components/data-grid';
import type { SegmentCustomersQuery } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';

export type CustomerRow = SegmentCustomersQuery['segmentCustomers']['nodes'][number];

const column = createColumnHelper<CustomerRow>();

// Column ids are the server's CustomerOrderField values.
function customerColumns(timeZone: string) {
  return [
    column.accessor('id', { id: 'ID', header: 'ID' }),
    column.accessor('name', { id: 'NAME', header: 'Name' }),
    column.accessor('email', { id: 'EMAIL', header: 'Email' }),
    column.accessor((row) => row.group.name, { id: 'GROUP', header: 'Group' }),
    column.accessor((row) => row.phone ?? '', { id: 'PHONE', header: 'Phone' }),
    column.accessor((row) => row.zip ?? '', { id: 'ZIP', header: 'ZIP' }),
    column.accessor((row) => row.country?.name ?? '', { id: 'COUNTRY', header: 'Country' }),
    column.accessor((row) => row.region ?? '', { id: 'REGION', header: 'State/Province' }),
    column.accessor('customerSince', {
      id: 'CUSTOMER_SINCE',
      header: 'Customer Since',
      cell: ({ getValue }) => formatDateTime(getValue(), timeZone),
    }),
  ];
}

type CustomersGridProps = Omit<DataGridProps<CustomerRow>, 'columns' | 'getRowId' | 'label'> & {
  timeZone: string;
};

export function CustomersGrid({ timeZone, ...props }: CustomersGridProps) {
  const columns = useMemo(() => customerColumns(timeZone), [timeZone]);
  return <DataGrid label="Segment customers" columns={columns} getRowId={(row) => row.id} {...props} />;
}
