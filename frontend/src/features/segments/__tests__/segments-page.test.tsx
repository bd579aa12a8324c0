// Component tests of the Customer Segments Report screen, against a fake /graphql.
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '@/features/auth/api/session';
import { i18next } from '@/lib/i18n';
import { mockGraphQL, testViewer } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';

interface FakeSegment {
  id: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  customerCount: number;
  refreshedAt: string | null;
  membershipStale: boolean;
  websites: { id: string; name: string }[];
}

function makeSegments(): FakeSegment[] {
  return Array.from({ length: 45 }, (_, i) => ({
    id: String(i + 1),
    name: i % 2 === 0 ? `VIP ${String(i + 1).padStart(2, '0')}` : `Segment ${String(i + 1).padStart(2, '0')}`,
    status: i % 3 === 0 ? 'INACTIVE' : 'ACTIVE',
    customerCount: (i + 1) * 10,
    refreshedAt: i === 1 ? null : new Date(Date.now() - 3 * 3600_000).toISOString(),
    membershipStale: i === 2,
    websites:
      i === 0
        ? [
            { id: '1', name: 'Main Website' },
            { id: '2', name: 'Nordic Store' },
          ]
        : [{ id: '1', name: 'Main Website' }],
  }));
}

let segments: FakeSegment[];
beforeEach(() => {
  segments = makeSegments();
  sessionStorage.clear();
});

/** The fake server's filter, as the API applies SegmentFilter. */
function applyFilter(all: FakeSegment[], filter: Record<string, unknown> | undefined) {
  if (!filter) return all;
  return all.filter((s) => {
    const id = Number(s.id);
    if (filter.ids && !(filter.ids as string[]).includes(s.id)) return false;
    if (filter.idMin !== undefined && id < (filter.idMin as number)) return false;
    if (filter.idMax !== undefined && id > (filter.idMax as number)) return false;
    if (filter.name && !s.name.toLowerCase().includes((filter.name as string).toLowerCase())) return false;
    if (filter.status && s.status !== filter.status) return false;
    if (filter.websiteIds && !s.websites.some((w) => (filter.websiteIds as string[]).includes(w.id))) return false;
    if (filter.customerCountMin !== undefined && s.customerCount < (filter.customerCountMin as number)) return false;
    if (filter.customerCountMax !== undefined && s.customerCount > (filter.customerCountMax as number)) return false;
    return true;
  });
}

function mockSegmentsApi(viewer: Viewer = testViewer, overrides: Record<string, (v: Record<string, unknown>) => unknown> = {}) {
  return mockGraphQL(
    {
      StoreSettings: () => ({ data: { store: { timeZone: 'Europe/Stockholm' } } }),
      Websites: () => ({
        data: {
          websites: [
            { id: '1', code: 'base', name: 'Main Website' },
            { id: '2', code: 'nordic', name: 'Nordic Store' },
          ],
        },
      }),
      SegmentsGrid: (variables) => ({
        data: { segments: paginate(applyFilter(segments, variables.filter as Record<string, unknown>), variables) },
      }),
      SegmentIds: (variables) => ({
        data: { segmentIds: applyFilter(segments, variables.filter as Record<string, unknown>).map((s) => s.id) },
      }),
      SegmentNames: (variables) => ({
        data: { segments: { nodes: applyFilter(segments, { ids: variables.ids }).map(({ id, name }) => ({ id, name })) } },
      }),
      SetSegmentStatus: (variables) => {
        const ids = variables.ids as string[];
        for (const s of segments) if (ids.includes(s.id)) s.status = variables.status as FakeSegment['status'];
        return { data: { setSegmentStatus: segments.filter((s) => ids.includes(s.id)).map(({ id, status }) => ({ id, status })) } };
      },
      DeleteSegments: (variables) => {
        const ids = variables.ids as string[];
        segments = segments.filter((s) => !ids.includes(s.id));
        return { data: { deleteSegments: ids } };
      },
      ...overrides,
    },
    { viewer },
  );
}

const grid = () => screen.getByRole('table', { name: 'Customer segments' });
const dataRows = () => within(grid()).getAllByRole('row').slice(2); // header and filter rows
const selectedCount = () => screen.getByTestId('selected-count').textContent;
const topPager = () => screen.getByRole('navigation', { name: 'Pagination above the grid' });
const bottomPager = () => screen.getByRole('navigation', { name: 'Pagination below the grid' });
const checkbox = (name: string) => screen.getByRole('checkbox', { name: `Select segment ${name}` });

describe('Customer Segments Report', () => {
  it('redirects / to /segments and has one h1', async () => {
    mockSegmentsApi();
    const { location } = renderRoute('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Customer Segments Report' })).toBeInTheDocument();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(location()).toBe('/segments');
  });

  it('renders rows with status, websites, counts, refresh times and marks; rows link to the segment page', async () => {
    const api = mockSegmentsApi();
    renderRoute('/segments');

    expect(await within(await screen.findByRole('navigation', { name: 'Pagination above the grid' })).findByText('45 records found')).toBeInTheDocument();
    expect(within(bottomPager()).getByText('45 records found')).toBeInTheDocument();
    await waitFor(() => expect(dataRows()).toHaveLength(20));
    const first = within(dataRows()[0]!);
    expect(first.getByText('Inactive')).toBeInTheDocument();
    expect(first.getByText('Main Website, Nordic Store')).toBeInTheDocument();
    expect(first.getByText('3 hours ago')).toHaveAttribute('title', expect.stringMatching(/^Refreshed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/));
    // The name is the row's link (and its keyboard stop) to the segment page.
    expect(first.getByRole('link', { name: 'VIP 01' })).toHaveAttribute('href', '/segments/1');
    // The count opens the segment's customers.
    expect(first.getByRole('link', { name: 'Customers of VIP 01' })).toHaveAttribute('href', '/segments/1/customers');
    expect(within(dataRows()[1]!).getByText('never refreshed')).toBeInTheDocument();
    expect(within(dataRows()[2]!).getByText('stale')).toBeInTheDocument();
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({ first: 20, orderBy: { field: 'ID', direction: 'ASC' } });
  });

  it('sorts on the server by every column, keeping the sort in the URL', { timeout: 120_000 }, async () => {
    const api = mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('VIP 01');

    await user.click(screen.getByRole('button', { name: 'Segment' }));
    await waitFor(() => expect(api.lastCallOf('SegmentsGrid')?.variables.orderBy).toEqual({ field: 'NAME', direction: 'ASC' }));
    expect(screen.getByRole('columnheader', { name: /Segment/ })).toHaveAttribute('aria-sort', 'ascending');
    await user.click(screen.getByRole('button', { name: 'Segment' }));
    await waitFor(() => expect(location()).toBe('/segments?sort=NAME&dir=desc'));

    await user.click(screen.getByRole('button', { name: 'ID' }));
    await waitFor(() => expect(location()).toBe('/segments?sort=ID&dir=asc'));
    await user.click(screen.getByRole('button', { name: 'ID' }));
    await waitFor(() => expect(api.lastCallOf('SegmentsGrid')?.variables.orderBy).toEqual({ field: 'ID', direction: 'DESC' }));

    for (const [label, field] of [
      ['Status', 'STATUS'],
      ['Website', 'WEBSITE'],
      ['Customers', 'CUSTOMER_COUNT'],
      ['Refreshed', 'REFRESHED_AT'],
    ] as const) {
      await user.click(screen.getByRole('button', { name: label }));
      await waitFor(() => expect(api.lastCallOf('SegmentsGrid')?.variables.orderBy).toEqual({ field, direction: 'ASC' }));
    }
  });

  it('filters from the filter row into the URL and the API filter, back on page 1', { timeout: 120_000 }, async () => {
    const api = mockSegmentsApi();
    const { user, location } = renderRoute('/segments?after=cursor:20&page=2');
    await screen.findByText('Segment 22');

    await user.type(screen.getByRole('textbox', { name: 'Segment name contains' }), 'vip');
    await waitFor(() => expect(location()).toBe('/segments?name=vip'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status filter' }), 'active');
    await user.type(screen.getByRole('textbox', { name: 'ID from' }), '3');
    await user.type(screen.getByRole('textbox', { name: 'Customers to' }), '300');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Website filter' }), '1');
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
        first: 20,
        orderBy: { field: 'ID', direction: 'ASC' },
        filter: { name: 'vip', status: 'ACTIVE', idMin: 3, customerCountMax: 300, websiteIds: ['1'] },
      }),
    );
    expect(Object.fromEntries(new URLSearchParams(location().split('?')[1]))).toEqual({
      name: 'vip',
      status: 'active',
      idMin: '3',
      countMax: '300',
      website: '1',
    });
    // Odd ids (VIP) from 3 to 30 (300 customers), less the inactive 7, 13, 19, 25.
    expect(await within(await screen.findByRole('navigation', { name: 'Pagination above the grid' })).findByText('10 records found')).toBeInTheDocument();

    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    await waitFor(() => expect(location()).toBe('/segments'));
    expect(screen.getByRole('textbox', { name: 'Segment name contains' })).toHaveValue('');
  });

  it('reads filters, sort, page size and page from the URL (a reload shows the same view)', async () => {
    const api = mockSegmentsApi();
    renderRoute('/segments?name=VIP&status=inactive&sort=name&dir=desc&size=30&after=cursor:7&page=2');
    await within(await screen.findByRole('navigation', { name: 'Pagination above the grid' })).findByText(/records found/);
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
      first: 30,
      after: 'cursor:7',
      filter: { name: 'VIP', status: 'INACTIVE' },
      orderBy: { field: 'NAME', direction: 'DESC' },
    });
    expect(screen.getByRole('textbox', { name: 'Segment name contains' })).toHaveValue('VIP');
    expect(screen.getByRole('combobox', { name: 'Status filter' })).toHaveValue('inactive');
    expect(within(topPager()).getByRole('combobox', { name: 'Page size' })).toHaveValue('30');
  });

  it('pages First / Next / Last / Previous with cursors in the URL, and changes the page size', { timeout: 120_000 }, async () => {
    const api = mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    const top = within(topPager());
    expect(top.getByRole('button', { name: 'Previous' })).toBeDisabled();
    expect(top.getByRole('button', { name: 'First page' })).toBeDisabled();
    expect(top.getByText('Page 1 of 3')).toBeInTheDocument();

    await user.click(top.getByRole('button', { name: 'Next' }));
    await screen.findByText('VIP 21');
    expect(location()).toBe('/segments?after=cursor%3A20&page=2');
    expect(top.getByText('Page 2 of 3')).toBeInTheDocument();
    expect(within(bottomPager()).getByText('Page 2 of 3')).toBeInTheDocument();

    await user.click(within(bottomPager()).getByRole('button', { name: 'Last page' }));
    await screen.findByText('VIP 45');
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({ last: 20, orderBy: { field: 'ID', direction: 'ASC' } });
    expect(location()).toBe('/segments?last=1&page=3');
    expect(top.getByText('Page 3 of 3')).toBeInTheDocument();
    expect(top.getByRole('button', { name: 'Next' })).toBeDisabled();
    expect(top.getByRole('button', { name: 'Last page' })).toBeDisabled();

    await user.click(top.getByRole('button', { name: 'Previous' }));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
        last: 20,
        before: 'cursor:26',
        orderBy: { field: 'ID', direction: 'ASC' },
      }),
    );
    await screen.findByText('VIP 07');
    expect(top.getByText('Page 2 of 3')).toBeInTheDocument();

    await user.click(top.getByRole('button', { name: 'First page' }));
    await waitFor(() => expect(location()).toBe('/segments'));
    await screen.findByText('VIP 01');

    await user.selectOptions(top.getByRole('combobox', { name: 'Page size' }), '50');
    await waitFor(() => expect(dataRows()).toHaveLength(45));
    expect(top.getByText('Page 1 of 1')).toBeInTheDocument();
    expect(location()).toBe('/segments?size=50');
  });

  it('keeps the old rows, dimmed, and the old page number while the next page loads', async () => {
    let release: () => void = () => {};
    const api = mockSegmentsApi(testViewer, {
      SegmentsGrid: (variables) => {
        const body = { data: { segments: paginate(segments, variables) } };
        if (!variables.after) return body;
        return new Promise<Response>((resolve) => {
          release = () => resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));
        });
      },
    });
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    await user.click(within(topPager()).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(api.lastCallOf('SegmentsGrid')?.variables.after).toBe('cursor:20'));
    expect(screen.getByText('VIP 01')).toBeInTheDocument();
    expect(grid()).toHaveAttribute('aria-busy', 'true');
    expect(within(topPager()).getByText('Page 1 of 3')).toBeInTheDocument();
    expect(within(topPager()).getByLabelText('Loading…')).toBeInTheDocument();
    await act(async () => release());
    await screen.findByText('VIP 21');
    expect(within(topPager()).getByText('Page 2 of 3')).toBeInTheDocument();
  });

  it('selects visible, all (with the filter, across pages), unselects visible and deselects all; keeps the selection', { timeout: 120_000 }, async () => {
    const api = mockSegmentsApi();
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    expect(selectedCount()).toBe('0 selected');

    await user.click(screen.getByRole('button', { name: 'Select Visible' }));
    expect(selectedCount()).toBe('20 selected');
    expect(checkbox('VIP 01')).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select all rows on this page' })).toBeChecked();

    await user.click(within(topPager()).getByRole('button', { name: 'Next' }));
    await screen.findByText('VIP 21');
    expect(checkbox('VIP 21')).not.toBeChecked();
    await user.click(checkbox('VIP 21'));
    expect(selectedCount()).toBe('21 selected');
    await user.click(screen.getByRole('button', { name: 'Select Visible' }));
    expect(selectedCount()).toBe('40 selected');
    await user.click(screen.getByRole('button', { name: 'Unselect Visible' }));
    expect(selectedCount()).toBe('20 selected');
    expect(JSON.parse(sessionStorage.getItem('segments.report.selection')!)).toHaveLength(20);

    // A filter keeps the selection; Select All then selects exactly the matching segments, on all pages.
    await user.type(screen.getByRole('textbox', { name: 'Segment name contains' }), 'VIP');
    await within(await screen.findByRole('navigation', { name: 'Pagination above the grid' })).findByText('23 records found');
    expect(selectedCount()).toBe('20 selected');
    await user.click(screen.getByRole('button', { name: 'Select All' }));
    await waitFor(() => expect(selectedCount()).toBe('23 selected'));
    expect(api.lastCallOf('SegmentIds')?.variables).toEqual({ filter: { name: 'VIP' } });
    expect(JSON.parse(sessionStorage.getItem('segments.report.selection')!)).toEqual(
      segments.filter((s) => s.name.startsWith('VIP')).map((s) => s.id),
    );

    // Unselect Visible removes only this page's rows of the filtered list.
    await user.click(screen.getByRole('button', { name: 'Unselect Visible' }));
    expect(selectedCount()).toBe('3 selected');

    await user.click(screen.getByRole('button', { name: 'Deselect All' }));
    expect(selectedCount()).toBe('0 selected');
    expect(sessionStorage.getItem('segments.report.selection')).toBe('[]');
  });

  it('restores the selection from sessionStorage and remembers the URL', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(['3', '5']));
    mockSegmentsApi();
    const { user } = renderRoute('/segments?status=active');
    await screen.findByText('VIP 03');
    expect(selectedCount()).toBe('2 selected');
    expect(checkbox('VIP 03')).toBeChecked();
    expect(sessionStorage.getItem('segments.report.lastUrl')).toBe('/segments?status=active');
    await user.click(within(topPager()).getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(sessionStorage.getItem('segments.report.lastUrl')).toMatch(/page=2/));
  });

  it('opens the customers of the selection by union or intersection, and compares it', async () => {
    mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    expect(screen.getByRole('button', { name: 'View customers' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Compare' })).toBeDisabled();

    await user.click(checkbox('VIP 05'));
    await user.click(checkbox('VIP 03'));
    expect(location()).toBe('/segments'); // a checkbox click does not open the row
    await user.click(screen.getByRole('button', { name: 'Compare' }));
    // The overlap view is lazily loaded: the router moves once its code is in.
    await waitFor(() => expect(location()).toBe('/segments/overlap?ids=3,5'));
  });

  it('views the customers of the selection in intersection mode', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(['5', '3']));
    mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    await user.click(screen.getByRole('radio', { name: 'Intersection' }));
    await user.click(screen.getByRole('button', { name: 'View customers' }));
    expect(location()).toBe('/segments/3,5/customers?mode=intersection');
  });

  it('limits View customers to 100 segments and Compare to 10, saying why', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(Array.from({ length: 101 }, (_, i) => String(i + 1))));
    mockSegmentsApi();
    renderRoute('/segments');
    await screen.findByText('VIP 01');
    expect(screen.getByRole('button', { name: 'View customers' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Compare' })).toBeDisabled();
    expect(screen.getByTestId('action-hints')).toHaveTextContent('View customers combines at most 100 segments.');
    expect(screen.getByTestId('action-hints')).toHaveTextContent('Compare takes 2 to 10 segments.');
    expect(screen.getByRole('button', { name: 'Activate' })).toBeEnabled();
  });

  it('activates and deactivates the selection in one mutation', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(['1', '4']));
    const api = mockSegmentsApi();
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    await user.click(screen.getByRole('button', { name: 'Activate' }));
    await waitFor(() => expect(api.lastCallOf('SetSegmentStatus')?.variables).toEqual({ ids: ['1', '4'], status: 'ACTIVE' }));
    await waitFor(() => expect(within(dataRows()[0]!).getByText('Active')).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(within(dataRows()[0]!).getByText('Inactive')).toBeInTheDocument());
    expect(selectedCount()).toBe('2 selected');
  });

  it('deletes the selection after a confirmation naming the segments', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(Array.from({ length: 12 }, (_, i) => String(i + 1))));
    const api = mockSegmentsApi();
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete 12 segments?' });
    const names = await within(dialog).findByTestId('delete-names');
    expect(within(names).getAllByRole('listitem')).toHaveLength(11);
    expect(names).toHaveTextContent('VIP 01');
    expect(names).toHaveTextContent('Segment 10');
    expect(names).toHaveTextContent('and 2 more');
    expect(api.callsOf('DeleteSegments')).toHaveLength(0);

    await user.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
    await waitFor(() => expect(api.lastCallOf('DeleteSegments')?.variables.ids).toHaveLength(12));
    await within(await screen.findByRole('navigation', { name: 'Pagination above the grid' })).findByText('33 records found');
    expect(selectedCount()).toBe('0 selected');
  });

  it('refreshes the selection, shows the progress, then the new counts', async () => {
    sessionStorage.setItem('segments.report.selection', JSON.stringify(['2']));
    let polls = 0;
    const api = mockSegmentsApi(testViewer, {
      RefreshSegmentData: () => ({
        data: { refreshSegmentData: { id: '77', state: 'RUNNING', segmentsDone: 0, segmentsTotal: 1, error: null, full: false } },
      }),
      RefreshJob: () => {
        polls += 1;
        if (polls < 2) return { data: { refreshJob: { id: '77', state: 'RUNNING', segmentsDone: 0, segmentsTotal: 1, error: null, full: false } } };
        segments[1]!.customerCount = 1234;
        segments[1]!.refreshedAt = new Date().toISOString();
        return { data: { refreshJob: { id: '77', state: 'SUCCEEDED', segmentsDone: 1, segmentsTotal: 1, error: null, full: false } } };
      },
    });
    const { user } = renderRoute('/segments');
    await screen.findByText('Segment 02');
    expect(within(dataRows()[1]!).getByText('never refreshed')).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Refresh Segment Data' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Refresh Segment Data' });
    expect(dialog).toHaveTextContent('Recompute the members of the selected segment now?');
    await user.click(within(dialog).getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Refreshing segment data: 0 of 1 segments')).toBeInTheDocument();
    expect(api.lastCallOf('RefreshSegmentData')?.variables).toEqual({ segmentIds: ['2'] });
    await waitFor(() => expect(within(dataRows()[1]!).getByText('1,234')).toBeInTheDocument(), { timeout: 8000 });
    expect(await screen.findByText('1 segment refreshed (incremental)')).toBeInTheDocument();
    expect(screen.queryByTestId('refresh-progress')).not.toBeInTheDocument();
  });

  it('refreshes every active segment when none is selected, and says so', async () => {
    const api = mockSegmentsApi(testViewer, {
      RefreshSegmentData: () => ({
        data: { refreshSegmentData: { id: '78', state: 'SUCCEEDED', segmentsDone: 30, segmentsTotal: 30, error: null, full: false } },
      }),
    });
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    expect(screen.getByTestId('action-hints')).toHaveTextContent('Refresh every active segment');
    await user.click(screen.getAllByRole('button', { name: 'Refresh Segment Data' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Refresh Segment Data' });
    expect(dialog).toHaveTextContent('No segment is selected: recompute the members of every active segment now?');
    await user.click(within(dialog).getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.lastCallOf('RefreshSegmentData')?.variables).toEqual({}));
    expect(await screen.findByText('30 segments refreshed (incremental)')).toBeInTheDocument();
  });

  it('asks for a full re-evaluation when chosen, and says the run is one', async () => {
    let polls = 0;
    const api = mockSegmentsApi(testViewer, {
      RefreshSegmentData: (variables) => ({
        data: {
          refreshSegmentData: { id: '79', state: 'QUEUED', segmentsDone: 0, segmentsTotal: 30, error: null, full: variables.full === true },
        },
      }),
      RefreshJob: () => {
        polls += 1;
        const state = polls < 2 ? 'RUNNING' : 'SUCCEEDED';
        return { data: { refreshJob: { id: '79', state, segmentsDone: polls < 2 ? 3 : 30, segmentsTotal: 30, error: null, full: true } } };
      },
    });
    const { user } = renderRoute('/segments');
    await screen.findByText('VIP 01');
    await user.click(screen.getAllByRole('button', { name: 'Refresh Segment Data' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Refresh Segment Data' });
    const choice = within(dialog).getByRole('checkbox', { name: 'Full re-evaluation' });
    expect(choice).not.toBeChecked();
    await user.click(choice);
    await user.click(within(dialog).getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.lastCallOf('RefreshSegmentData')?.variables).toEqual({ full: true }));
    expect(await screen.findByTestId('refresh-kind')).toHaveTextContent('full re-evaluation');
    expect(await screen.findByText('30 segments refreshed (full re-evaluation)', undefined, { timeout: 8000 })).toBeInTheDocument();
  });

  it('offers an analyst no refresh, edits or customer rows, but Compare', async () => {
    mockSegmentsApi({ ...testViewer, role: 'ANALYST' });
    renderRoute('/segments');
    await screen.findByText('VIP 01');
    for (const name of ['Refresh Segment Data', 'Activate', 'Deactivate', 'Delete', 'New segment', 'View customers']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('link', { name: 'New segment' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Customers of VIP 01' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Compare' })).toBeInTheDocument();
  });

  it('offers a viewer customer rows but no edits', async () => {
    mockSegmentsApi({ ...testViewer, role: 'VIEWER' });
    renderRoute('/segments');
    await screen.findByText('VIP 01');
    expect(screen.getByRole('button', { name: 'View customers' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Refresh Segment Data' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('shows empty states with the action that fixes them', async () => {
    segments = [];
    mockSegmentsApi();
    const { user, location } = renderRoute('/segments?name=zzz');
    expect(await screen.findByText('No segment matches these filters.')).toBeInTheDocument();
    await user.click(within(grid()).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(location()).toBe('/segments'));
    expect(await screen.findByText('No segments yet. Create the first one to see who is in it.')).toBeInTheDocument();
    expect(within(grid()).getByRole('link', { name: 'New segment' })).toHaveAttribute('href', '/segments/new');
  });

  it('offers Refresh Segment Data when nothing was ever refreshed', async () => {
    segments = makeSegments().map((s) => ({ ...s, refreshedAt: null }));
    mockSegmentsApi();
    renderRoute('/segments');
    expect(await screen.findByText(/Segment data has not been refreshed yet/)).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Refresh Segment Data' })).toHaveLength(2);
  });

  it('shows an API error’s message with Try again', async () => {
    let fail = true;
    mockSegmentsApi(testViewer, {
      SegmentsGrid: (variables) =>
        fail
          ? { data: null, errors: [{ message: 'orderBy: unknown field', path: ['segments'], extensions: { code: 'BAD_USER_INPUT' } }] }
          : { data: { segments: paginate(segments, variables) } },
    });
    const { user } = renderRoute('/segments');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('orderBy: unknown field');
    expect(alert).toHaveTextContent('BAD_USER_INPUT');
    expect(screen.getByText('Segments could not be loaded.')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('VIP 01')).toBeInTheDocument();
  });

  it('speaks Swedish', async () => {
    await act(() => i18next.changeLanguage('sv'));
    mockSegmentsApi();
    renderRoute('/segments');
    expect(await screen.findByRole('heading', { level: 1, name: 'Rapport över kundsegment' })).toBeInTheDocument();
    await screen.findByText('VIP 01');
    for (const name of ['Uppdatera segmentdata', 'Markera alla', 'Avmarkera alla', 'Markera synliga', 'Avmarkera synliga']) {
      expect(screen.getByRole('button', { name })).toBeInTheDocument();
    }
    expect(screen.getByRole('checkbox', { name: 'Markera segmentet VIP 01' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Kunder' })).toBeInTheDocument();
    const pager = screen.getByRole('navigation', { name: 'Sidnavigering ovanför tabellen' });
    expect(within(pager).getByText('45 poster hittades')).toBeInTheDocument();
  });
});
