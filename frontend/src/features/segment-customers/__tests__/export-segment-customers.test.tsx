// Component tests of the drill-down's export: the variables sent, polling the
// job, the download of a finished file, and failures. Against a fake /graphql.
import { configure, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockGraphQL, type Handler } from '@/testing/mock-api';
import { paginate } from '@/testing/paginate';
import { renderRoute } from '@/testing/render';
import { namedSegments } from './segments-fixture';

// The drill-down's first render (filters, date pickers, grid) is the heaviest of
// the app; on a busy machine it takes longer than the default wait.
configure({ asyncUtilTimeout: 15_000 });

const customers = Array.from({ length: 3 }, (_, i) => ({
  id: String(100 + i),
  name: `Customer ${i}`,
  email: `customer${i}@example.com`,
  group: { id: '2', name: 'Wholesale' },
  phone: null,
  zip: '114 55',
  country: { code: 'SE', name: 'Sweden' },
  region: 'Stockholm',
  customerSince: '2024-01-15T23:30:05Z',
}));

const DOWNLOAD_URL = 'https://files.example.com/exports/7/customers.csv?sig=abc';

function job(overrides: object) {
  return {
    id: '7',
    state: 'QUEUED',
    format: 'CSV',
    rowsWritten: 0,
    rowCount: null,
    fileName: null,
    url: null,
    expiresAt: null,
    error: null,
    ...overrides,
  };
}

const succeeded = job({
  state: 'SUCCEEDED',
  rowsWritten: 3,
  rowCount: 3,
  fileName: 'segment-3-5-customers.csv',
  url: DOWNLOAD_URL,
  expiresAt: '2025-03-02T09:30:00Z',
});

function mockExportApi(overrides: Record<string, Handler>) {
  return mockGraphQL({
    StoreSettings: () => ({ data: { store: { timeZone: 'Europe/Stockholm' } } }),
    DrillDownSegments: namedSegments(3),
    SegmentCustomers: (variables) => ({ data: { segmentCustomers: paginate(customers, variables) } }),
    DrillDownChoices: () => ({ data: { customerGroups: [{ id: '2', name: 'Wholesale' }], websites: [] } }),
    ...overrides,
  });
}

let assign: ReturnType<typeof vi.fn>;

beforeEach(() => {
  // window.location.assign cannot be spied on in jsdom; replace location.
  assign = vi.fn();
  vi.stubGlobal('location', Object.assign(new URL(window.location.href), { assign }));
});

describe('Export of segment customers', () => {
  it('exports what the grid shows and downloads the finished file', async () => {
    const api = mockExportApi({
      ExportSegmentCustomers: () => ({ data: { exportSegmentCustomers: succeeded } }),
    });
    const { user } = renderRoute('/segments/3,5/customers?mode=intersection&sort=email&dir=desc&size=50');
    await screen.findByText('customer0@example.com');

    expect(screen.getByLabelText('Export to:')).toHaveValue('CSV');
    await user.selectOptions(screen.getByLabelText('CSV delimiter'), 'Semicolon (Excel in Nordic locales)');
    await user.click(screen.getByRole('button', { name: 'Export' }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith(DOWNLOAD_URL));
    expect(api.callsOf('ExportSegmentCustomers')).toHaveLength(1);
    expect(api.lastCallOf('ExportSegmentCustomers')?.variables).toEqual({
      input: {
        segmentIds: ['3', '5'],
        mode: 'INTERSECTION',
        orderBy: { field: 'EMAIL', direction: 'DESC' },
        format: 'CSV',
        csvDelimiter: 'SEMICOLON',
      },
    });
    const again = screen.getByRole('link', { name: /Download again/ });
    expect(again).toHaveAttribute('href', DOWNLOAD_URL);
    expect(again).toHaveTextContent('segment-3-5-customers.csv');
    expect(api.callsOf('ExportJob')).toHaveLength(0);
    expect(assign).toHaveBeenCalledTimes(1);
  });

  it('hides the delimiter for Excel XML and does not send one', async () => {
    const api = mockExportApi({
      ExportSegmentCustomers: () => ({
        data: { exportSegmentCustomers: { ...succeeded, format: 'EXCEL_XML', url: `${DOWNLOAD_URL}&xml` } },
      }),
    });
    const { user } = renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');

    await user.selectOptions(screen.getByLabelText('Export to:'), 'Excel XML');
    expect(screen.queryByLabelText('CSV delimiter')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Export' }));

    await waitFor(() => expect(assign).toHaveBeenCalledWith(`${DOWNLOAD_URL}&xml`));
    expect(api.lastCallOf('ExportSegmentCustomers')?.variables).toEqual({
      input: { segmentIds: ['3'], mode: 'UNION', orderBy: { field: 'ID', direction: 'ASC' }, format: 'EXCEL_XML' },
    });
  });

  it('polls a long export every second, showing its progress, until it succeeds', async () => {
    const answers = [
      job({ state: 'RUNNING', rowsWritten: 12000, rowCount: 740000 }),
      succeeded,
    ];
    const api = mockExportApi({
      ExportSegmentCustomers: () => ({ data: { exportSegmentCustomers: job({ state: 'QUEUED' }) } }),
      ExportJob: () => ({ data: { exportJob: answers.shift() ?? succeeded } }),
    });
    const { user } = renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getByRole('button', { name: 'Export' }));

    expect(await screen.findByText('Export queued…')).toBeInTheDocument();
    expect(await screen.findByText('Exporting… 12,000 of 740,000 rows', {}, { timeout: 3000 })).toBeInTheDocument();
    expect(assign).not.toHaveBeenCalled();
    await waitFor(() => expect(assign).toHaveBeenCalledWith(DOWNLOAD_URL), { timeout: 3000 });
    expect(api.callsOf('ExportJob').map((call) => call.variables)).toEqual([{ id: '7' }, { id: '7' }]);
    expect(screen.getByRole('link', { name: /Download again/ })).toHaveAttribute('href', DOWNLOAD_URL);
  });

  it('shows the error of a failed export and tries again', async () => {
    const answers = [job({ state: 'FAILED', error: 'disk full while writing the file' }), { ...succeeded, id: '8' }];
    const api = mockExportApi({
      ExportSegmentCustomers: () => ({ data: { exportSegmentCustomers: answers.shift() } }),
    });
    const { user } = renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getByRole('button', { name: 'Export' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Export failed');
    expect(alert).toHaveTextContent('disk full while writing the file');
    expect(assign).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(DOWNLOAD_URL));
    expect(api.callsOf('ExportSegmentCustomers')).toHaveLength(2);
    expect(api.callsOf('ExportSegmentCustomers')[1]!.variables).toEqual(api.callsOf('ExportSegmentCustomers')[0]!.variables);
  });

  it('exports the exclusions and filters of the address', async () => {
    const api = mockExportApi({
      ExportSegmentCustomers: () => ({ data: { exportSegmentCustomers: succeeded } }),
    });
    const { user } = renderRoute('/segments/3/customers?mode=intersection&exclude=5,6&country=se&group=2&from=2024-01-15&sort=NAME');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith(DOWNLOAD_URL));
    expect(api.lastCallOf('ExportSegmentCustomers')?.variables).toEqual({
      input: {
        segmentIds: ['3'],
        mode: 'INTERSECTION',
        excludeSegmentIds: ['5', '6'],
        filter: { groupIds: ['2'], countryCodes: ['SE'], customerSinceFrom: '2024-01-14T23:00:00.000Z' },
        orderBy: { field: 'NAME', direction: 'ASC' },
        format: 'CSV',
        csvDelimiter: 'COMMA',
      },
    });
    // The variables the grid was asked with are the same.
    expect(api.lastCallOf('SegmentCustomers')?.variables).toMatchObject({
      excludeSegmentIds: ['5', '6'],
      filter: { groupIds: ['2'], countryCodes: ['SE'], customerSinceFrom: '2024-01-14T23:00:00.000Z' },
    });
  });

  it('shows a GraphQL error of the export', async () => {
    mockExportApi({
      ExportSegmentCustomers: () => ({
        data: null,
        errors: [{ message: 'segment 5 not found', extensions: { code: 'NOT_FOUND' } }],
      }),
    });
    const { user } = renderRoute('/segments/3/customers');
    await screen.findByText('customer0@example.com');
    await user.click(screen.getByRole('button', { name: 'Export' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('segment 5 not found');
    expect(alert).toHaveTextContent('NOT_FOUND');
    expect(assign).not.toHaveBeenCalled();
  });
});
