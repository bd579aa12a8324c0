// The drill-down's export bar: file format, CSV delimiter, Export; then the
// job's progress, the download (started by itself, and a plain link) or the
// failure with Retry.
import { Alert, Anchor, Button, Group, Loader, NativeSelect, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import type { CsvDelimiter, CustomerOrder, ExportFormat } from '@/gql/graphql';
import { formatCount } from '@/lib/format';
import { type ExportJob, useExportSegmentCustomers } from '../api/export-segment-customers';
import type { CustomerSet } from '../api/get-segment-customers';

export interface ExportPanelProps {
  /** What the grid shows: the same customers in the same order are exported. */
  set: CustomerSet;
  orderBy: CustomerOrder;
}

export function ExportPanel({ set, orderBy }: ExportPanelProps) {
  const { t } = useTranslation('segment-customers');
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
      segmentIds: [...set.segmentIds],
      mode: set.mode,
      ...(set.excludeSegmentIds.length > 0 ? { excludeSegmentIds: [...set.excludeSegmentIds] } : {}),
      ...(set.filter ? { filter: set.filter } : {}),
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
          label={t('export.format')}
          value={format}
          onChange={(event) => setFormat(event.currentTarget.value as ExportFormat)}
          data={[
            { value: 'CSV', label: t('export.csv') },
            { value: 'EXCEL_XML', label: t('export.excelXml') },
          ]}
        />
        {format === 'CSV' ? (
          <NativeSelect
            size="xs"
            label={t('export.delimiter')}
            value={csvDelimiter}
            onChange={(event) => setCsvDelimiter(event.currentTarget.value as CsvDelimiter)}
            data={[
              { value: 'COMMA', label: t('export.comma') },
              { value: 'SEMICOLON', label: t('export.semicolon') },
            ]}
          />
        ) : null}
        <Button size="xs" onClick={onExport} loading={exporter.running} disabled={set.segmentIds.length === 0}>
          {t('export.button')}
        </Button>
      </Group>

      {exporter.error ? (
        <ErrorAlert error={exporter.error} title={t('export.failed')} onRetry={exporter.retry} />
      ) : null}
      {job && !exporter.error ? <ExportStatus job={job} onRetry={exporter.retry} /> : null}
    </Stack>
  );
}

function ExportStatus({ job, onRetry }: { job: ExportJob; onRetry: () => void }) {
  const { t } = useTranslation('segment-customers');
  const { t: tc } = useTranslation();
  switch (job.state) {
    case 'QUEUED':
    case 'RUNNING': {
      const total = job.rowCount;
      return (
        <Stack gap={4} data-testid="export-progress">
          <Group gap="xs">
            <Loader size="xs" aria-hidden />
            <Text fz="sm" aria-live="polite">
              {job.state === 'QUEUED' && job.rowsWritten === 0
                ? t('export.queued')
                : total != null
                  ? t('export.progressOf', { written: formatCount(job.rowsWritten), total: formatCount(total) })
                  : t('export.progress', { written: formatCount(job.rowsWritten) })}
            </Text>
          </Group>
          {total ? (
            <Progress
              size="sm"
              value={Math.min(100, (job.rowsWritten / total) * 100)}
              aria-label={t('export.progressLabel')}
              maw={320}
            />
          ) : null}
        </Stack>
      );
    }
    case 'SUCCEEDED':
      return (
        <Text fz="sm" data-testid="export-done">
          {t('export.done', { count: job.rowsWritten, rows: formatCount(job.rowsWritten) })}{' '}
          {job.url ? (
            <Anchor href={job.url} fz="sm" download={job.fileName ?? true}>
              {t('export.downloadAgain', { file: job.fileName ?? 'export' })}
            </Anchor>
          ) : (
            t('export.expired')
          )}
        </Text>
      );
    case 'FAILED':
      return (
        <Alert color="red" variant="light" title={t('export.failed')}>
          <Text fz="sm">{job.error ?? t('export.failedUnknown')}</Text>
          <Button size="xs" variant="light" mt="xs" onClick={onRetry}>
            {tc('error.retry')}
          </Button>
        </Alert>
      );
    default:
      return null;
  }
}
