// Component tests of the segment page (/segments/:id): details, the rule in
// words, the history table, role-aware actions and the delete confirmation.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL, testViewer } from '@/testing/mock-api';
import { renderRoute } from '@/testing/render';

const segment = {
  id: '7',
  name: 'Nordic buyers',
  description: 'Buyers in the north',
  status: 'ACTIVE',
  websites: [{ id: '2', code: 'nordic', name: 'Nordic Store' }],
  customerCount: 1234,
  refreshedAt: '2026-11-29T10:00:00Z',
  membershipStale: true,
  conditions: {
    __typename: 'ConditionGroup',
    match: 'ALL',
    expect: true,
    conditions: [
      { __typename: 'CustomerCondition', field: 'COUNTRY', operator: 'IN', values: ['SE', 'NO'] },
      { __typename: 'OrderCondition', measure: 'ORDER_COUNT', operator: 'GTE', values: ['3'], withinDays: 365, statuses: null },
    ],
  },
  refreshHistory: [
    { finishedAt: '2026-11-29T10:00:00Z', customerCount: 1234, added: 40, removed: 6 },
    { finishedAt: '2026-11-28T10:00:00Z', customerCount: 1200, added: 1200, removed: 0 },
  ],
};

function mockPageApi(viewer = testViewer) {
  return mockGraphQL(
    {
      SegmentDetails: (v) => ({ data: { segment: v.id === '7' ? segment : null } }),
      EditorLists: () => ({
        data: { websites: segment.websites, customerGroups: [], store: { timeZone: 'Europe/Stockholm', baseCurrency: 'SEK' } },
      }),
      DeleteSegments: (v) => ({ data: { deleteSegments: v.ids } }),
      RefreshSegmentData: (v) => ({
        data: { refreshSegmentData: { id: '77', state: 'SUCCEEDED', segmentsDone: 1, segmentsTotal: 1, error: null, full: v.full === true } },
      }),
      RefreshJob: () => ({
        data: { refreshJob: { id: '77', state: 'SUCCEEDED', segmentsDone: 1, segmentsTotal: 1, error: null, full: false } },
      }),
      SegmentsGrid: () => ({
        data: { segments: { totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, nodes: [] } },
      }),
    },
    { viewer },
  );
}

describe('segment page', { timeout: 120_000 }, () => {
  it('shows the details, the rule in words and the member-count history', async () => {
    mockPageApi();
    renderRoute('/segments/7');
    expect(await screen.findByRole('heading', { level: 1, name: 'Nordic buyers' }, { timeout: 30_000 })).toBeInTheDocument();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(screen.getByTestId('customer-count')).toHaveTextContent('1,234');
    expect(screen.getByText('stale')).toBeInTheDocument();
    expect(screen.getByText('Buyers in the north')).toBeInTheDocument();
    expect(screen.getAllByText('2026-11-29 11:00:00').length).toBeGreaterThan(0);

    const words = screen.getByTestId('rule-in-words');
    expect(words).toHaveTextContent('Customers for whom ALL of these are true:');
    expect(within(words).getByText('country is Sweden or Norway')).toBeInTheDocument();
    expect(within(words).getByText('at least 3 orders in the last 365 days')).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Member count at each refresh' });
    const rows = within(table).getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(rows).toEqual(['2026-11-29 11:00:001,234406', '2026-11-28 11:00:001,2001,2000']);

    expect(screen.getByRole('link', { name: 'View customers' })).toHaveAttribute('href', '/segments/7/customers');
    expect(screen.getByRole('link', { name: 'Edit' })).toHaveAttribute('href', '/segments/7/edit');
    expect(screen.getByRole('link', { name: 'Duplicate' })).toHaveAttribute('href', '/segments/new?from=7');
  });

  it('offers an analyst no changes', async () => {
    mockPageApi({ ...testViewer, role: 'ANALYST' });
    renderRoute('/segments/7');
    await screen.findByRole('heading', { level: 1, name: 'Nordic buyers' }, { timeout: 30_000 });
    expect(screen.getByRole('link', { name: 'View customers' })).toBeInTheDocument();
    for (const name of ['Edit', 'Duplicate']) expect(screen.queryByRole('link', { name })).toBeNull();
    for (const name of ['Refresh', 'Full re-evaluation', 'Deactivate', 'Delete']) expect(screen.queryByRole('button', { name })).toBeNull();
  });

  it('refreshes incrementally, or re-evaluates every customer when asked', async () => {
    const api = mockPageApi();
    const { user } = renderRoute('/segments/7');
    await screen.findByRole('heading', { level: 1, name: 'Nordic buyers' }, { timeout: 30_000 });
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(api.callsOf('RefreshSegmentData')).toHaveLength(1));
    expect(api.lastCallOf('RefreshSegmentData')?.variables).toEqual({ segmentIds: ['7'] }); // full left to its default, false

    await waitFor(() => expect(screen.getByRole('button', { name: 'Full re-evaluation' })).toBeEnabled());
    await user.click(screen.getByRole('button', { name: 'Full re-evaluation' }));
    await waitFor(() => expect(api.callsOf('RefreshSegmentData')).toHaveLength(2));
    expect(api.lastCallOf('RefreshSegmentData')?.variables).toEqual({ segmentIds: ['7'], full: true });
  });

  it('deletes after a confirmation naming the segment', async () => {
    const api = mockPageApi();
    const { user, location } = renderRoute('/segments/7');
    await screen.findByRole('heading', { level: 1, name: 'Nordic buyers' }, { timeout: 30_000 });
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete “Nordic buyers” with its members and history?');
    expect(api.callsOf('DeleteSegments')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Delete “Nordic buyers”' }));
    await waitFor(() => expect(location()).toBe('/segments'), { timeout: 20_000 });
    expect(api.lastCallOf('DeleteSegments')?.variables).toEqual({ ids: ['7'] });
  });
});
