// Screen: how 2 to 10 segments overlap (/segments/overlap?ids=1,2,3). For 2
// or 3 segments a Venn diagram with a region table beside it; for more, a
// matrix of pairwise intersections. Every count links to its customers.
import { Anchor, Box, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import { formatCount } from '@/lib/format';
import { useSegmentOverlap } from '../api/get-segment-overlap';
import { SEGMENT_COLORS } from '../components/colors';
import { PairMatrix } from '../components/pair-matrix';
import { RegionTable } from '../components/region-table';
import { VennDiagram } from '../components/venn-diagram';
import {
  drillDownUrl,
  MAX_OVERLAP_SEGMENTS,
  MAX_VENN_SEGMENTS,
  MIN_OVERLAP_SEGMENTS,
  parseOverlapIds,
  reportUrl,
} from '../utils/overlap';

function Total({ label, count, to, testId }: { label: string; count: number; to: string; testId: string }) {
  const { t } = useTranslation('insights');
  return (
    <Paper withBorder p="sm" radius="md">
      <Text fz="sm" c="dimmed">
        {label}
      </Text>
      <Anchor
        component={Link}
        to={to}
        fz="xl"
        fw={700}
        data-testid={testId}
        aria-label={`${label}: ${t('customers', { count, formatted: formatCount(count) })}`}
      >
        {formatCount(count)}
      </Anchor>
    </Paper>
  );
}

export function SegmentOverlapPage() {
  const { t } = useTranslation('insights');
  const [searchParams] = useSearchParams();
  const ids = parseOverlapIds(searchParams.get('ids'));
  const overlap = useSegmentOverlap(ids ?? []);
  const back = (
    <Anchor component={Link} to={reportUrl(paths.segments)} fz="sm">
      {t('back')}
    </Anchor>
  );

  if (!ids) {
    return (
      <Stack gap="md">
        {back}
        <Title order={1}>{t('title')}</Title>
        <Text>{t('badIds', { min: MIN_OVERLAP_SEGMENTS, max: MAX_OVERLAP_SEGMENTS })}</Text>
      </Stack>
    );
  }

  const data = overlap.data;
  const segments = data?.segments ?? [];
  const segmentIds = segments.map((s) => s.id);
  return (
    <Stack gap="md">
      {back}
      <Title order={1}>{t('title')}</Title>
      {overlap.error ? <ErrorAlert error={overlap.error} onRetry={() => void overlap.refetch()} /> : null}
      {overlap.isPending && !overlap.error ? (
        <Stack gap="sm" aria-busy="true" aria-label={t('loading')}>
          <Skeleton h={28} w="60%" />
          <Skeleton h={260} />
        </Stack>
      ) : null}
      {data ? (
        <>
          <Text c="dimmed" fz="sm">
            {t('asOfRefresh')}
          </Text>
          <Group component="ul" aria-label={t('legend')} gap="md" p={0} m={0} style={{ listStyle: 'none' }}>
              {segments.map((s, i) => (
                <Group key={s.id} component="li" gap={6} wrap="nowrap">
                  {segments.length <= MAX_VENN_SEGMENTS ? (
                    <Box
                      aria-hidden="true"
                      w={14}
                      h={14}
                      style={{ borderRadius: '50%', border: `3px solid ${SEGMENT_COLORS[i]}`, background: `${SEGMENT_COLORS[i]}33` }}
                    />
                  ) : null}
                  <Anchor component={Link} to={drillDownUrl([s.id], 'union')} fz="sm">
                    {s.name}
                  </Anchor>
                </Group>
              ))}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} maw={520}>
            <Total
              label={t('union')}
              count={data.unionCount}
              to={drillDownUrl(segmentIds, 'union')}
              testId="overlap-union"
            />
            <Total
              label={t('intersection')}
              count={data.intersectionCount}
              to={drillDownUrl(segmentIds, 'intersection')}
              testId="overlap-intersection"
            />
          </SimpleGrid>
          {segments.length <= MAX_VENN_SEGMENTS ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Box>
                <Title order={2} fz="h4" mb="xs">
                  {t('venn.title')}
                </Title>
                <VennDiagram segments={segments} regions={data.regions} />
              </Box>
              <Box>
                <Title order={2} fz="h4" mb="xs">
                  {t('regions.title')}
                </Title>
                <RegionTable segments={segments} regions={data.regions} />
              </Box>
            </SimpleGrid>
          ) : (
            <Box>
              <Title order={2} fz="h4" mb="xs">
                {t('matrix.title')}
              </Title>
              <PairMatrix segments={segments} pairs={data.pairs} />
            </Box>
          )}
        </>
      ) : null}
    </Stack>
  );
}

export default SegmentOverlapPage;
