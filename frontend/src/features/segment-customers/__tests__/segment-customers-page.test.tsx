// Component tests of the drill-down screen (/segments/:ids/customers), against a fake /graphql.
import { configure, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL, testViewer, type Handler, type MockOptions } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';
import { namedSegments } from './segments-fixture';

// The drill-down's first render (filters, date pickers, grid) is the heaviest of
// the app; on a busy machine it takes longer than the default wait.
configure({ asyncUtilTimeout: 15_000 });

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

const groups = [
  { id: '1', name: 'General' },
  { id: '2', name: 'Wholesale' },
];
const websites = [{ id: '1', code: 'base', name: 'Main Website' }];

function mockCustomersApi(overrides: Record<string, Handler> = {}, options: MockOptions = {}) {
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
    SegmentCustomerCount: () => ({ data: { segmentCustomers: { totalCount: 1234 } } }),
    DrillDownChoices: () => ({ data: { customerGroups: groups, websites } }),
    ...overrides,
  }, options);
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
      await screen.findByRole('heading', { level: 1, name: 'Customers in 2 segments (intersection)' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('segment-summary-3')).toHaveTextContent('Swedish wholesale · 1,200');
    expect(screen.getByTestId('segment-summary-5')).toHaveTextContent('Big spenders · 7 · stale · inactive');
    expect(screen.getAllByText('30 records found')).toHaveLength(2);
  });

  it('loads the header’s segments in one request, shown in the address’s order', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/5,8,3/customers');

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Customers in 3 segments (union)' }),
    ).toBeInTheDocument();
    // One request for all three ids, none per id.
    expect(api.callsOf('DrillDownSegments').map((call) => call.variables)).toEqual([
      { ids: ['5', '8', '3'], first: 3 },
    ]);
    await screen.findByTestId('segment-summary-5');
    expect(api.calls.map((call) => call.operationName).sort()).toEqual([
      'DrillDownChoices',
      'DrillDownSegments',
      'SegmentCustomers',
      'StoreSettings',
    ]);
    const chips = ['5', '8', '3'].map((id) => screen.getByTestId(`segment-summary-${id}`).textContent);
    expect(chips).toEqual(['Big spenders · 7 · stale · inactive', '#8: No segment has this id.', 'Swedish wholesale · 1,200']);
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
    expect(screen.getByRole('heading', { level: 1, name: 'Customers of segment #3' })).toBeInTheDocument();
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

  it('pages with cursors kept in the address, with the filters, sort and mode', async () => {
    const api = mockCustomersApi();
    const { user, location } = renderRoute('/segments/3,5/customers?mode=intersection&country=SE&sort=EMAIL');
    await screen.findByText('customer0@example.com');

    await user.click(screen.getAllByRole('button', { name: 'Next' })[0]!);
    await screen.findByText('customer20@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({ first: 20, after: 'cursor:119' });
    expect(dataRows()).toHaveLength(10);
    const pageTwo = location();
    expect(pageTwo).toBe('/segments/3,5/customers?mode=intersection&country=SE&sort=EMAIL&after=cursor%3A119&page=2');

    // Previous from page 2 is the first page itself.
    await user.click(screen.getAllByRole('button', { name: 'Previous' })[1]!);
    await screen.findByText('customer0@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({ first: 20 });
    expect(api.lastCallOf('SegmentCustomers')?.variables).not.toHaveProperty('before');
    expect(location()).toBe('/segments/3,5/customers?mode=intersection&country=SE&sort=EMAIL');

    // Switching the mode goes back to page 1.
    await user.click(screen.getAllByRole('button', { name: 'Next' })[0]!);
    await screen.findByText('customer20@example.com');
    await user.click(screen.getByText('Union'));
    await waitFor(() => expect(location()).toBe('/segments/3,5/customers?mode=union&country=SE&sort=EMAIL'));
  }, 60_000);

  it('opens a pasted address at the same page', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/3,5/customers?mode=intersection&exclude=7&zip=114&sort=EMAIL&dir=desc&after=cursor%3A119&page=2');
    await screen.findByText('customer20@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
      segmentIds: ['3', '5'],
      mode: 'INTERSECTION',
      excludeSegmentIds: ['7'],
      filter: { zip: '114' },
      first: 20,
      after: 'cursor:119',
      orderBy: { field: 'EMAIL', direction: 'DESC' },
    });
    expect(screen.getAllByText('Page 2 of 2')).toHaveLength(2);
  });

  it('shows the empty state', async () => {
    mockCustomersApi({
      SegmentCustomers: (variables) => ({ data: { segmentCustomers: paginate([], variables) } }),
    });
    renderRoute('/segments/3/customers');
    expect(
      await screen.findByText('No customers in this segment yet — refresh segment data'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('0 records found')).toHaveLength(2);
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
    await user.click(await screen.findByRole('link', { name: /Back to the segments report/ }));
    expect(location()).toBe('/segments');
    expect(await screen.findByText(/^No segments yet\./)).toBeInTheDocument();
  });

  it('goes back to the report as it was left', async () => {
    sessionStorage.setItem('segments.report.lastUrl', '/segments?sort=NAME&dir=desc');
    try {
      mockCustomersApi({
        SegmentsGrid: (variables) => ({ data: { segments: paginate([], variables) } }),
      });
      const { user, location } = renderRoute('/segments/3/customers');
      const back = await screen.findByRole('link', { name: /Back to the segments report/ });
      expect(back).toHaveAttribute('href', '/segments?sort=NAME&dir=desc');
      await user.click(back);
      expect(location()).toBe('/segments?sort=NAME&dir=desc');
    } finally {
      sessionStorage.clear();
    }
  });

  it('never goes back to another site', async () => {
    sessionStorage.setItem('segments.report.lastUrl', '//evil.example.com/segments');
    try {
      mockCustomersApi();
      renderRoute('/segments/3/customers');
      const back = await screen.findByRole('link', { name: /Back to the segments report/ });
      expect(back).toHaveAttribute('href', '/segments');
    } finally {
      sessionStorage.clear();
    }
  });

  it('leaves out the customers of excluded segments and says so', async () => {
    const api = mockCustomersApi();
    renderRoute('/segments/3/customers?mode=intersection&exclude=5');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Customers of Swedish wholesale, not in Big spenders' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('excluded-segments')).toHaveTextContent('Not in:Big spenders · 7');
    await screen.findByText('customer0@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
      segmentIds: ['3'],
      mode: 'INTERSECTION',
      excludeSegmentIds: ['5'],
      first: 20,
      orderBy: { field: 'ID', direction: 'ASC' },
    });
    // The header's segments and the excluded ones in one request.
    expect(api.callsOf('DrillDownSegments').map((call) => call.variables)).toEqual([{ ids: ['3', '5'], first: 2 }]);
  });

  it('reads the filters from the address and sends them, days in the store’s time zone', async () => {
    const api = mockCustomersApi();
    renderRoute(
      '/segments/3,5/customers?mode=union&name=Customer&email=example&phone=%2B46&zip=114&region=Stock' +
        '&group=2&country=SE&website=1&from=2024-01-01&to=2024-01-31&sort=NAME&dir=desc',
    );
    await screen.findByText('customer0@example.com');
    expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
      segmentIds: ['3', '5'],
      mode: 'UNION',
      filter: {
        name: 'Customer',
        email: 'example',
        phone: '+46',
        zip: '114',
        region: 'Stock',
        groupIds: ['2'],
        countryCodes: ['SE'],
        websiteIds: ['1'],
        customerSinceFrom: '2023-12-31T23:00:00.000Z',
        customerSinceTo: '2024-01-31T22:59:59.999Z',
      },
      first: 20,
      orderBy: { field: 'NAME', direction: 'DESC' },
    });
    const filters = screen.getByRole('search', { name: 'Filter customers' });
    expect(within(filters).getByLabelText('Name contains')).toHaveValue('Customer');
    expect(within(filters).getByRole('combobox', { name: 'Country' })).toHaveValue('Sweden');
    await waitFor(() => expect(within(filters).getByRole('combobox', { name: 'Group' })).toHaveValue('Wholesale'));
  });

  it('applies a typed filter after a pause, in the address, from the first page', async () => {
    const api = mockCustomersApi();
    const { user, location } = renderRoute('/segments/3/customers?sort=EMAIL');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getAllByRole('button', { name: 'Next' })[0]!);
    await screen.findByText('customer20@example.com');

    await user.type(screen.getByLabelText('Email contains'), 'r2');
    await waitFor(() => expect(location()).toBe('/segments/3/customers?sort=EMAIL&email=r2'));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentCustomers')?.variables).toEqual({
        segmentIds: ['3'],
        mode: 'UNION',
        filter: { email: 'r2' },
        first: 20,
        orderBy: { field: 'EMAIL', direction: 'ASC' },
      }),
    );
    // Typing went to the server once, not once per key.
    expect(api.callsOf('SegmentCustomers').filter((call) => call.variables.filter)).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location()).toBe('/segments/3/customers?sort=EMAIL'));
    expect(screen.getByLabelText('Email contains')).toHaveValue('');
  }, 60_000);

  it('switches union and intersection in place', async () => {
    const api = mockCustomersApi();
    const { user, location } = renderRoute('/segments/3,5/customers?country=SE');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getByText('Intersection'));
    await waitFor(() => expect(location()).toBe('/segments/3,5/customers?country=SE&mode=intersection'));
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Customers in 2 segments (intersection)' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({
        mode: 'INTERSECTION',
        filter: { countryCodes: ['SE'] },
        first: 20,
      }),
    );
  });

  it('shows many segments as a few chips and the rest on request', async () => {
    const many = Array.from({ length: 40 }, (_, i) => String(i + 1));
    mockCustomersApi({ DrillDownSegments: namedSegments(10) });
    const { user } = renderRoute(`/segments/${many.join(',')}/customers`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Customers in 40 segments (union)' })).toBeInTheDocument();
    await screen.findByTestId('segment-summary-1');
    expect(screen.queryByTestId('segment-summary-7')).not.toBeInTheDocument();
    expect(screen.getByText('A combined drill-down takes at most 100 segments (and at most 100 left out).')).toBeInTheDocument();
    const more = screen.getByRole('button', { name: 'and 34 more' });
    expect(more).toHaveAttribute('aria-expanded', 'false');
    await user.click(more);
    expect(screen.getByTestId('segment-summary-40')).toHaveTextContent('Segment 40 · 10');
    await user.click(screen.getByRole('button', { name: 'Show fewer' }));
    expect(screen.queryByTestId('segment-summary-40')).not.toBeInTheDocument();
  });

  it('shows an analyst the count and why there are no rows', async () => {
    const api = mockCustomersApi({}, { viewer: { ...testViewer, role: 'ANALYST' } });
    renderRoute('/segments/3,5/customers?mode=intersection&country=SE&name=ignored');
    expect(await screen.findByText('1,234 customers match')).toBeInTheDocument();
    expect(screen.getByText(/Your role \(Analyst\) shows how many customers match/)).toBeInTheDocument();
    expect(api.callsOf('SegmentCustomers')).toHaveLength(0);
    expect(api.lastCallOf('SegmentCustomerCount')?.variables).toEqual({
      segmentIds: ['3', '5'],
      mode: 'INTERSECTION',
      filter: { countryCodes: ['SE'] },
    });
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Export' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Name contains')).not.toBeInTheDocument();
  });

  it('offers a viewer rows but no export', async () => {
    mockCustomersApi({}, { viewer: { ...testViewer, role: 'VIEWER' } });
    renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');
    expect(screen.queryByRole('button', { name: 'Export' })).not.toBeInTheDocument();
  });

  it('speaks Swedish', async () => {
    mockCustomersApi();
    const { i18next } = await import('@/lib/i18n');
    await i18next.changeLanguage('sv');
    renderRoute('/segments/3/customers');
    expect(await screen.findByRole('heading', { level: 1, name: 'Kunder i Swedish wholesale' })).toBeInTheDocument();
    await screen.findByText('customer1@example.com');
    const table = screen.getByRole('table', { name: 'Segmentets kunder' });
    expect(within(table).getByRole('button', { name: /Kund sedan/ })).toBeInTheDocument();
    expect(within(within(table).getAllByRole('row')[2]!).getAllByRole('cell')[6]).toHaveTextContent('Sverige');
    expect(screen.getByRole('button', { name: 'Exportera' })).toBeInTheDocument();
  });
});
