// The segments grid's columns: ID, Segment, Status, Website, Customers.
import { Badge } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { DataGrid, type DataGridProps } from '@/components/data-grid';
import type { SegmentsGridQuery } from '@/gql/graphql';
import { formatCount } from '@/lib/format';

export type SegmentRow = SegmentsGridQuery['segments']['nodes'][number];

const column = createColumnHelper<SegmentRow>();

// Column ids are the server's SegmentOrderField values.
const columns = [
  column.accessor('id', { id: 'ID', header: 'ID' }),
  column.accessor('name', { id: 'NAME', header: 'Segment' }),
  column.accessor('status', {
    id: 'STATUS',
    header: 'Status',
    cell: ({ getValue }) =>
      getValue() === 'ACTIVE' ? (
        <Badge color="green" variant="light" tt="none">
          Active
        </Badge>
      ) : (
        <Badge color="gray" variant="light" tt="none">
          Inactive
        </Badge>
      ),
  }),
  column.accessor((row) => row.websites.map((w) => w.name).join(', '), { id: 'WEBSITE', header: 'Website' }),
  column.accessor('customerCount', {
    id: 'CUSTOMER_COUNT',
    header: 'Customers',
    cell: ({ getValue }) => formatCount(getValue()),
  }),
];

type SegmentsGridProps = Omit<DataGridProps<SegmentRow>, 'columns' | 'getRowId' | 'label'>;

export function SegmentsGrid(props: SegmentsGridProps) {
  return <DataGrid label="Customer segments" columns={columns} getRowId={(row) => row.id} {...props} />;
}
