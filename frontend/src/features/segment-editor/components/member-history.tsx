// A segment's member count over its past refreshes (refreshHistory): a line
// chart of the count, bars of customers added and removed, and the same
// numbers as a table (the chart's accessible alternative).
import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Box, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatCount, formatDateTime } from '@/lib/format';

export interface RefreshPoint {
  finishedAt: string;
  customerCount: number;
  added: number;
  removed: number;
}

export function MemberHistory({ history, timeZone }: { history: readonly RefreshPoint[]; timeZone: string }) {
  const { t } = useTranslation('segment-editor');
  if (history.length === 0) {
    return (
      <Text fz="sm" c="gray.7">
        {t('page.historyEmpty')}
      </Text>
    );
  }
  // The API lists newest first; charts read left to right, oldest first.
  const points = [...history].reverse().map((p) => ({
    when: formatDateTime(p.finishedAt, timeZone).slice(0, 16),
    [t('page.colCount')]: p.customerCount,
    [t('page.colAdded')]: p.added,
    [t('page.colRemoved')]: p.removed,
  }));
  const count = t('page.colCount');
  const added = t('page.colAdded');
  const removed = t('page.colRemoved');

  return (
    <Stack gap="md">
      {/* The charts repeat the table below, which screen readers read instead. */}
      <Box aria-hidden>
        <Text fz="sm" fw={500} mb={4}>
          {t('page.historyChart', { count: history.length })}
        </Text>
        <LineChart
          h={220}
          data={points}
          dataKey="when"
          series={[{ name: count, color: 'blue.7' }]}
          valueFormatter={formatCount}
          curveType="linear"
          lineChartProps={{ accessibilityLayer: false }}
          withDots={history.length <= 60}
        />
        <Text fz="sm" fw={500} mt="md" mb={4}>
          {t('page.historyChanges')}
        </Text>
        <BarChart
          h={160}
          data={points}
          dataKey="when"
          series={[
            { name: added, color: 'teal.7' },
            { name: removed, color: 'red.7' },
          ]}
          valueFormatter={formatCount}
          barChartProps={{ accessibilityLayer: false }}
        />
      </Box>
      <ScrollArea.Autosize mah={320} type="auto">
        <Table striped withTableBorder>
          <Table.Caption style={{ color: 'var(--mantine-color-gray-7)' }}>{t('page.historyTable')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('page.colFinished')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {count}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {added}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {removed}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.map((p) => (
              <Table.Tr key={p.finishedAt}>
                <Table.Td>{formatDateTime(p.finishedAt, timeZone)}</Table.Td>
                <Table.Td ta="right">{formatCount(p.customerCount)}</Table.Td>
                <Table.Td ta="right">{formatCount(p.added)}</Table.Td>
                <Table.Td ta="right">{formatCount(p.removed)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}
