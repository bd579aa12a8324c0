// The drill-down's export bar: file format, CSV delimiter, Export; then the
// job's progress, the download (started by itself) or the failure.
import { Alert, Anchor, Button, Group, Loader, NativeSelect, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '@/components/error-alert';
import type { CsvDelimiter, CustomerOrder, ExportFormat, SegmentSetMode } from '@/gql/graphql';
import { formatCount } from '@/lib/format';
import { type ExportJob, useExportSegmentCustomers } from '../api/export-segment-customers';

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'CSV', label: 'CSV' },
  { value: 'EXCEL_XML', label: 'Excel XML' },
];

const DELIMITERS: { value: CsvDelimiter; label: string }[] = [
  { value: 'COMMA', label: 'Comma' },
  { value: 'SEMICOLON', label: 'Semicolon (Excel in Nordic locales)' },
];

export interface ExportPanelProps {
  /** What the grid shows: the same segments, combination and sort are exported. */
  segmentIds: readonly string[];
  mode: SegmentSetMode;
  orderBy: CustomerOrder;
}

export function ExportPanel({ segmentIds, mode, orderBy }: ExportPanelProps) {
  const [format, setFormat] = useState<ExportFormat>('CSV');
  const [csvDelimiter, setCsvDelimiter] = useState<CsvDelimiter>('COMMA');
  const exporter = useExportSegmentCustomers();
  const { job } = exporter;

  // Start the download once per job, when it has succeeded.
  const downloaded = useRef<string | null>(null);
  useEffect(() => {
    if (job?.state === 'SUCCEEDED' && job.url && downloaded.current !== job.id) {
      downloaded.current = job.id;
      window.location.assign(job.url);
    }
  }, [job]);

  function onExport() {
    exporter.start({
      segmentIds: [...segmentIds],
      mode,
      orderBy: { field: orderBy.field, direction: orderBy.direction },
      format,
      ...(format === 'CSV' ? { csvDelimiter } : {}),
    });
  }

  return (
    <Stack gap="xs" data-testid="export-panel">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NativeSelect
          size="xs"
          label="Export to:"
          value={format}
          onChange={(event) => setFormat(event.currentTarget.value as ExportFormat)}
          data={FORMATS}
        />
        {format === 'CSV' ? (
          <NativeSelect
            size="xs"
            label="CSV delimiter"
            value={csvDelimiter}
            onChange={(event) => setCsvDelimiter(event.currentTarget.value as CsvDelimiter)}
            data={DELIMITERS}
          />
        ) : null}
        <Button size="xs" onClick={onExport} loading={exporter.running} disabled={segmentIds.length === 0}>
          Export
        </Button>
      </Group>

      {exporter.error ? <ErrorAlert error={exporter.error} title="Export failed" /> : null}
      {job && !exporter.error ? <ExportStatus job={job} /> : null}
    </Stack>
  );
}

function ExportStatus({ job }: { job: ExportJob }) {
  switch (job.state) {
    case 'QUEUED':
    case 'RUNNING': {
      const total = job.rowCount;
      return (
        <Stack gap={4} data-testid="export-progress">
          <Group gap="xs">
            <Loader size="xs" />
            <Text fz="sm">
              {job.state === 'QUEUED' && job.rowsWritten === 0
                ? 'Export queued…'
                : total != null
                  ? `Exporting… ${formatCount(job.rowsWritten)} of ${formatCount(total)} rows`
                  : `Exporting… ${formatCount(job.rowsWritten)} rows`}
            </Text>
          </Group>
          {total ? (
            <Progress
              size="sm"
              value={Math.min(100, (job.rowsWritten / total) * 100)}
              aria-label="Export progress"
              maw={320}
            />
          ) : null}
        </Stack>
      );
    }
    case 'SUCCEEDED':
      return (
        <Text fz="sm" data-testid="export-done">
          Exported {formatCount(job.rowsWritten)} {job.rowsWritten === 1 ? 'row' : 'rows'}.{' '}
          {job.url ? (
            <Anchor href={job.url} fz="sm">
              Download again: {job.fileName ?? 'export'}
            </Anchor>
          ) : (
            'The download link has expired.'
          )}
        </Text>
      );
    case 'FAILED':
      return (
        <Alert color="red" variant="light" title="Export failed">
          <Text fz="sm">{job.error ?? 'The export failed.'}</Text>
        </Alert>
      );
    default:
      return null;
  }
}
