// The regions of the overlap as a table: which segments the customers are
// in and not in, how many, and a link to them (the diagram in words).
import { Anchor, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatCount } from '@/lib/format';
import { drillDownUrl, type Region } from '../utils/overlap';
import { useRegionLabel, type VennSegment } from './venn-diagram';

export function RegionTable({ segments, regions }: { segments: VennSegment[]; regions: Region[] }) {
  const { t } = useTranslation('insights');
  const label = useRegionLabel(segments);
  const name = (id: string) => segments.find((s) => s.id === id)?.name ?? id;
  // Most segments first: the intersection of all, then pairs, then "only in".
  const rows = [...regions].sort((a, b) => b.segmentIds.length - a.segmentIds.length);
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table striped withTableBorder data-testid="region-table">
        <Table.Caption>{t('regions.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('regions.in')}</Table.Th>
            <Table.Th scope="col">{t('regions.notIn')}</Table.Th>
            <Table.Th scope="col" ta="right">
              {t('regions.customers')}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={3}>{t('regions.empty')}</Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((region) => (
            <Table.Tr key={region.segmentIds.join(',')}>
              <Table.Td>{region.segmentIds.map(name).join(', ')}</Table.Td>
              <Table.Td>{region.excludedSegmentIds.length ? region.excludedSegmentIds.map(name).join(', ') : '—'}</Table.Td>
              <Table.Td ta="right">
                <Anchor
                  component={Link}
                  to={drillDownUrl(region.segmentIds, 'intersection', region.excludedSegmentIds)}
                  aria-label={label(region)}
                >
                  {formatCount(region.customerCount)}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
