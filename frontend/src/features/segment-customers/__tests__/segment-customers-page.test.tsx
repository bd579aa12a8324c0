// Component tests of the drill-down screen (/segments/:ids/customers), against a fake /graphql.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL, type Handler } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';

// As the server holds them: in id order.
const segments = [
  {
    id: '3',
    name: 'Swedish wholesale',
    status: 'ACTIVE',
    customerCount: 1200,
    refreshedAt: '2025-03-01T09:30:00Z',
    membershipStale: false,
  },
  {
    id: '5',
    name: 'Big spenders',
    status: 'INACTIVE',
    customerCount: 7,
    refreshedAt: null,
    membershipStale: true,
  },
];

const customers = Array.from({ length: 30 }, (_, i) => ({
  id: String(100 + i),
  name: `Customer ${i}`,
  email: `customer${i}@example.com`,
  group: { id: '2', name: 'Wholesale' },
  phone: i === 0 ? null : `+46 8 123 45${String(i).padStart(2, '0')}`,
  zip: '114 55',
  country: i === 0 ? null : { code: 'SE', name: 'Sweden' },
  region: i === 0 ? null : 'Stockholm',
  customerSince: '2024-01-15T23:30:05Z',
}));

function mockCustomersApi(overrides: Record<string, Handler> = {}) {
  return mockGraphQL({
    StoreSettings: () => ({ data: { store: { timeZone: 'Europe/Stockholm' } } }),
    DrillDownSegments: (variables) => ({
      data: {
        segments: paginate(
          segments.filter((segment) => (variables.ids as string[]).includes(segment.id)),
          variables,
        ),
      },
    }),
    SegmentCustomers: (variables) => ({ data: { segmentCustomers: paginate(customers, variables) } }),
    ...overrides,
  });
}

const grid = () => screen.getByRole('table', { name: 'Segment customers' });
const dataRows = () => within(grid()).getAllByRole('row').slice(1);

describe('Segment customers', () => {
  it('reads the segment ids and mode from the route', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/3,5/customers?mode=intersection');

    expect(await screen.findByText('customer0@example.com')).toBeInTheDocument();
    expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
      segmentIds: ['3', '5'],
      mode: 'INTERSECTION',
      first: 20,
      orderBy: { field: 'ID', direction: 'ASC' },
    });
    expect(api.callsOf('DrillDownSegments').map((call) => call.variables)).toEqual([{ ids: ['3', '5'], first: 2 }]);
    expect(
      await screen.findByRole('heading', { name: 'Customers in all of: Swedish wholesale, Big spenders' }),
    ).toBeInTheDocument();
    expect(screen.getByText('30 records found')).toBeInTheDocument();
  });

  it('loads the header’s segments in one request, shown in the address’s order', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/5,8,3/customers');

    expect(
      await screen.findByRole('heading', { name: 'Customers in any of: Big spenders, #8, Swedish wholesale' }),
    ).toBeInTheDocument();
    // One request for all three ids, none per id.
    expect(api.callsOf('DrillDownSegments').map((call) => call.variables)).toEqual([
      { ids: ['5', '8', '3'], first: 3 },
    ]);
    expect(api.calls.map((call) => call.operationName).sort()).toEqual([
      'DrillDownSegments',
      'SegmentCustomers',
      'StoreSettings',
    ]);
    expect(screen.getByTestId('segment-summary-5')).toHaveTextContent('7 customers');
    expect(screen.getByTestId('segment-summary-3')).toHaveTextContent('1,200 customers');
    expect(screen.getByText('No segment has this id.')).toBeInTheDocument();
  });

  it('shows why the header’s segments could not be loaded', async () => {
    mockCustomersApi({
      DrillDownSegments: () => ({
        data: null,
        errors: [{ message: 'the database is unavailable', extensions: { code: 'INTERNAL' } }],
      }),
    });
    renderRoute('/segments/3/customers');
    expect(await screen.findByText('the database is unavailable')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Segment customers' })).toBeInTheDocument();
    expect(screen.queryByTestId('segment-summary-3')).not.toBeInTheDocument();
  });

  it('shows the segment header in the store time zone and the customers’ columns', async () => {
    mockCustomersApi();
    renderRoute('/segments/3/customers');

    expect(await screen.findByRole('heading', { name: 'Customers of Swedish wholesale' })).toBeInTheDocument();
    const summary = screen.getByTestId('segment-summary-3');
    expect(summary).toHaveTextContent('1,200 customers');
    // 09:30 UTC is 10:30 in Stockholm (CET, UTC+1).
    expect(summary).toHaveTextContent('Refreshed 2025-03-01 10:30:00 (Europe/Stockholm)');
    expect(summary).not.toHaveTextContent('membership stale');

    await screen.findByText('customer1@example.com');
    const cells = within(dataRows()[1]!)
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells).toEqual([
      '101',
      'Customer 1',
      'customer1@example.com',
      'Wholesale',
      '+46 8 123 4501',
      '114 55',
      'Sweden',
      'Stockholm',
      '2024-01-16 00:30:05',
    ]);
  });

  it('shows a stale membership badge and an inactive segment', async () => {
    mockCustomersApi();
    renderRoute('/segments/5/customers');
    const summary = await screen.findByTestId('segment-summary-5');
    expect(summary).toHaveTextContent('membership stale');
    expect(summary).toHaveTextContent('Inactive');
    expect(summary).toHaveTextContent('Never refreshed');
  });

  it('sorts by a column and keeps sort, direction and page size in the URL', async () => {
    const api = mockCustomersApi();
    const { user, location } = renderRoute('/segments/3,5/customers?mode=union&sort=email&dir=desc&size=50');
    await screen.findByText('customer0@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
      segmentIds: ['3', '5'],
      mode: 'UNION',
      first: 50,
      orderBy: { field: 'EMAIL', direction: 'DESC' },
    });

    await user.click(screen.getByRole('button', { name: 'Customer Since' }));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentCustomers')?.variables.orderBy).toEqual({
        field: 'CUSTOMER_SINCE',
        direction: 'ASC',
      }),
    );
    expect(location()).toBe('/segments/3,5/customers?mode=union&sort=CUSTOMER_SINCE&dir=asc&size=50');
  });

  it('pages with cursors', async () => {
    const api = mockCustomersApi();
    const { user } = renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('customer20@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({ first: 20, after: 'cursor:119' });
    expect(dataRows()).toHaveLength(10);

    // Previous from page 2 is the first page itself.
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('customer0@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({ first: 20 });
    expect(api.lastCallOf('SegmentCustomers')?.variables).not.toHaveProperty('before');
  });

  it('shows the empty state', async () => {
    mockCustomersApi({
      SegmentCustomers: (variables) => ({ data: { segmentCustomers: paginate([], variables) } }),
    });
    renderRoute('/segments/3/customers');
    expect(
      await screen.findByText('No customers in this segment yet — refresh segment data'),
    ).toBeInTheDocument();
    expect(screen.getByText('0 records found')).toBeInTheDocument();
  });

  it('shows an API error’s message', async () => {
    mockCustomersApi({
      SegmentCustomers: () => ({
        data: null,
        errors: [{ message: 'segment 9 not found', extensions: { code: 'NOT_FOUND' } }],
      }),
    });
    renderRoute('/segments/9/customers');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('segment 9 not found');
    expect(alert).toHaveTextContent('NOT_FOUND');
    expect(await screen.findByText('No segment has this id.')).toBeInTheDocument();
  });

  it('rejects a malformed address without asking the server', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/3,abc/customers');
    expect(await screen.findByRole('alert')).toHaveTextContent('Not a segment id: abc.');
    expect(api.callsOf('SegmentCustomers')).toHaveLength(0);
  });

  it('goes back to the segments report', async () => {
    mockCustomersApi({
      SegmentsGrid: (variables) => ({ data: { segments: paginate([], variables) } }),
    });
    const { user, location } = renderRoute('/segments/3/customers');
    await user.click(await screen.findByRole('link', { name: /Back to segments/ }));
    expect(location()).toBe('/segments');
    expect(await screen.findByText(/^No segments yet\./)).toBeInTheDocument();
  });
});
