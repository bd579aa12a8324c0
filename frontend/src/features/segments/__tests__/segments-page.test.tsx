// Component tests of the Customer Segments Report screen, against a fake /graphql.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';

const segments = Array.from({ length: 45 }, (_, i) => ({
  id: String(i + 1),
  name: `Segment ${String(i + 1).padStart(2, '0')}`,
  status: i % 3 === 0 ? 'INACTIVE' : 'ACTIVE',
  customerCount: (i + 1) * 10,
  websites:
    i === 0
      ? [
          { id: '1', name: 'Main Website' },
          { id: '2', name: 'Nordic Store' },
        ]
      : [{ id: '1', name: 'Main Website' }],
}));

function mockSegmentsApi() {
  return mockGraphQL({
    SegmentsGrid: (variables) => ({ data: { segments: paginate(segments, variables) } }),
    SegmentIds: (variables) => ({
      data: { segments: paginate(segments.map(({ id }) => ({ id })), variables) },
    }),
  });
}

const grid = () => screen.getByRole('table', { name: 'Customer segments' });
const dataRows = () => within(grid()).getAllByRole('row').slice(1);
const selectedCount = () => screen.getByTestId('selected-count').textContent;

describe('Customer Segments Report', () => {
  it('redirects / to /segments', async () => {
    mockSegmentsApi();
    const { location } = renderRoute('/');
    expect(await screen.findByRole('heading', { name: 'Customer Segments Report' })).toBeInTheDocument();
    expect(location()).toBe('/segments');
  });

  it('renders rows, the record count, status and websites', async () => {
    const api = mockSegmentsApi();
    renderRoute('/segments');

    expect(await screen.findByText('45 records found')).toBeInTheDocument();
    expect(dataRows()).toHaveLength(20);
    const firstRow = within(dataRows()[0]!);
    expect(firstRow.getByText('Segment 01')).toBeInTheDocument();
    expect(firstRow.getByText('Inactive')).toBeInTheDocument();
    expect(firstRow.getByText('Main Website, Nordic Store')).toBeInTheDocument();
    expect(within(dataRows()[1]!).getByText('Active')).toBeInTheDocument();
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({ first: 20, orderBy: { field: 'ID', direction: 'ASC' } });
  });

  it('sorts on the server when a header is clicked, and keeps the sort in the URL', async () => {
    const api = mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('Segment 01');

    await user.click(screen.getByRole('button', { name: 'Segment' }));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
        first: 20,
        orderBy: { field: 'NAME', direction: 'ASC' },
      }),
    );
    expect(screen.getByRole('columnheader', { name: /Segment/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(screen.getByRole('button', { name: 'Segment' }));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
        first: 20,
        orderBy: { field: 'NAME', direction: 'DESC' },
      }),
    );
    expect(location()).toBe('/segments?sort=NAME&dir=desc');

    await user.click(screen.getByRole('button', { name: 'Customers' }));
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables.orderBy).toEqual({ field: 'CUSTOMER_COUNT', direction: 'ASC' }),
    );
  });

  it('reads sort and page size from the URL', async () => {
    const api = mockSegmentsApi();
    renderRoute('/segments?sort=website&dir=desc&size=50');
    await screen.findByText('45 records found');
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
      first: 50,
      orderBy: { field: 'WEBSITE', direction: 'DESC' },
    });
    expect(screen.getByRole('combobox', { name: 'Page size' })).toHaveValue('50');
  });

  it('pages with cursors and changes the page size', async () => {
    const api = mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('Segment 01');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Segment 21');
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
      first: 20,
      after: 'cursor:20',
      orderBy: { field: 'ID', direction: 'ASC' },
    });
    expect(screen.getByText('Page 2 of 3')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Segment 41');
    expect(api.lastCallOf('SegmentsGrid')?.variables.after).toBe('cursor:40');
    expect(dataRows()).toHaveLength(5);
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('Segment 21');
    expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
      last: 20,
      before: 'cursor:41',
      orderBy: { field: 'ID', direction: 'ASC' },
    });

    await user.selectOptions(screen.getByRole('combobox', { name: 'Page size' }), '50');
    await waitFor(() =>
      expect(api.lastCallOf('SegmentsGrid')?.variables).toEqual({
        first: 50,
        orderBy: { field: 'ID', direction: 'ASC' },
      }),
    );
    await waitFor(() => expect(dataRows()).toHaveLength(45));
    expect(screen.getByText('Page 1 of 1')).toBeInTheDocument();
    expect(location()).toBe('/segments?size=50');
  });

  it('selects and unselects visible rows, all segments, and keeps the selection across pages', async () => {
    const api = mockSegmentsApi();
    const { user } = renderRoute('/segments');
    await screen.findByText('Segment 01');
    expect(selectedCount()).toBe('0 selected');

    await user.click(screen.getByRole('button', { name: 'Select Visible' }));
    expect(selectedCount()).toBe('20 selected');
    expect(screen.getByRole('checkbox', { name: 'Select row 1' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select all rows on this page' })).toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Segment 21');
    expect(screen.getByRole('checkbox', { name: 'Select row 21' })).not.toBeChecked();
    await user.click(screen.getByRole('checkbox', { name: 'Select row 21' }));
    expect(selectedCount()).toBe('21 selected');
    await user.click(screen.getByRole('button', { name: 'Select Visible' }));
    expect(selectedCount()).toBe('40 selected');

    await user.click(screen.getByRole('button', { name: 'Unselect Visible' }));
    expect(selectedCount()).toBe('20 selected');
    expect(screen.getByRole('checkbox', { name: 'Select row 21' })).not.toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByText('Segment 01');
    expect(screen.getByRole('checkbox', { name: 'Select row 1' })).toBeChecked();

    await user.click(screen.getByRole('button', { name: 'Select All' }));
    await waitFor(() => expect(selectedCount()).toBe('45 selected'));
    // Every id, fetched in pages of the server's maximum size.
    expect(api.callsOf('SegmentIds').map((call) => call.variables)).toEqual([{ first: 200 }]);

    await user.click(screen.getByRole('button', { name: 'Deselect All' }));
    expect(selectedCount()).toBe('0 selected');
    expect(screen.getByRole('checkbox', { name: 'Select row 1' })).not.toBeChecked();
  });

  it('opens the customers of the selection, by union or intersection', async () => {
    mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await screen.findByText('Segment 01');
    expect(screen.getByRole('button', { name: 'View customers' })).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select row 5' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select row 3' }));
    expect(location()).toBe('/segments'); // a checkbox click does not open the row
    await user.click(screen.getByRole('radio', { name: 'Intersection' }));
    await user.click(screen.getByRole('button', { name: 'View customers' }));
    expect(location()).toBe('/segments/3,5/customers?mode=intersection');
  });

  it('opens a segment’s customers when its row is clicked', async () => {
    mockSegmentsApi();
    const { user, location } = renderRoute('/segments');
    await user.click(await screen.findByText('Segment 07'));
    expect(location()).toBe('/segments/7/customers');
  });

  it('shows an API error’s message', async () => {
    mockGraphQL({
      SegmentsGrid: () => ({
        data: null,
        errors: [
          {
            message: 'orderBy: unknown field',
            path: ['segments'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      }),
    });
    renderRoute('/segments');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('orderBy: unknown field');
    expect(alert).toHaveTextContent('BAD_USER_INPUT');
    expect(screen.getByText('Segments could not be loaded.')).toBeInTheDocument();
  });
});
