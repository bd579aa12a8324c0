// For 4 to 10 segments: a matrix of how many customers each pair shares,
// every count a link to that pair's intersection.
import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatCount } from '@/lib/format';
import { drillDownUrl } from '../utils/overlap';
import type { VennSegment } from './venn-diagram';

export interface PairOverlap {
  segmentIds: string[];
  intersectionCount: number;
}

export function PairMatrix({ segments, pairs }: { segments: VennSegment[]; pairs: PairOverlap[] }) {
  const { t } = useTranslation('insights');
  const count = (a: string, b: string) =>
    pairs.find((p) => p.segmentIds.includes(a) && p.segmentIds.includes(b))?.intersectionCount ?? 0;
  return (
    <Table.ScrollContainer minWidth={160 + segments.length * 110}>
      <Table withTableBorder withColumnBorders data-testid="pair-matrix">
        <Table.Caption>{t('matrix.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Td />
            {segments.map((s) => (
              <Table.Th key={s.id} scope="col">
                {s.name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {segments.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Th scope="row">{row.name}</Table.Th>
              {segments.map((col) => {
                if (col.id === row.id) {
                  return (
                    <Table.Td key={col.id} ta="center">
                      <Text component="span" c="dimmed" aria-label={t('matrix.same')}>
                        —
                      </Text>
                    </Table.Td>
                  );
                }
                const n = count(row.id, col.id);
                return (
                  <Table.Td key={col.id} ta="right">
                    <Anchor
                      component={Link}
                      to={drillDownUrl([row.id, col.id], 'intersection')}
                      aria-label={t('matrix.cell', {
                        a: row.name,
                        b: col.name,
                        count: t('customers', { count: n, formatted: formatCount(n) }),
                      })}
                    >
                      {formatCount(n)}
                    </Anchor>
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
