// The drill-down header: the page's h1, which segments (one segment's count
// and refresh time; several as compact chips, the first few shown and the
// rest behind "and N more"), the Union ↔ Intersection switch, and the
// segments whose customers are left out ("not in …"). Kept short so the grid
// stays in view even with 100 segments.
import { Badge, Button, Group, Pill, SegmentedControl, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import type { SegmentSetMode } from '@/gql/graphql';
import { formatCount, formatDateTime } from '@/lib/format';
import type { SegmentSummaryState } from '../api/get-segment-customers';
import { MAX_DRILLDOWN_SEGMENTS } from '../utils/route-params';

/** Chips shown before "and N more". */
export const COLLAPSED_CHIPS = 6;

export interface SegmentsHeaderProps {
  /** The combined segments, in the address's order. */
  summaries: SegmentSummaryState[];
  /** The segments whose customers are left out. */
  excluded: SegmentSummaryState[];
  mode: SegmentSetMode;
  onModeChange: (mode: SegmentSetMode) => void;
  timeZone: string | undefined;
}

const nameOf = (summary: SegmentSummaryState) => summary.segment?.name ?? `#${summary.id}`;

/** The page's title: one segment by name, several by number and mode; exclusions after. */
export function useDrillDownTitle(summaries: SegmentSummaryState[], excluded: SegmentSummaryState[], mode: SegmentSetMode) {
  const { t } = useTranslation('segment-customers');
  const base =
    summaries.length === 1
      ? summaries[0]!.segment
        ? t('title.one', { name: summaries[0]!.segment.name })
        : t('title.oneById', { id: summaries[0]!.id })
      : t(mode === 'INTERSECTION' ? 'title.intersection' : 'title.union', { count: summaries.length });
  if (excluded.length === 0) return base;
  return excluded.length <= 3
    ? t('title.notIn', { title: base, names: excluded.map(nameOf).join(t('header.nameSeparator')) })
    : t('title.notInCount', { title: base, count: excluded.length });
}

export function SegmentsHeader({ summaries, excluded, mode, onModeChange, timeZone }: SegmentsHeaderProps) {
  const { t } = useTranslation('segment-customers');
  const title = useDrillDownTitle(summaries, excluded, mode);
  const several = summaries.length > 1;
  const error = summaries[0]?.error ?? excluded[0]?.error;

  return (
    <Stack gap="xs">
      <Title order={1} fz="h2">
        {title}
      </Title>
      {error ? <ErrorAlert error={error} title={t('header.segmentsFailed')} /> : null}

      {several ? (
        <Group gap="sm" wrap="wrap" align="center">
          <SegmentedControl
            size="xs"
            aria-label={t('mode.label')}
            value={mode}
            onChange={(value) => onModeChange(value as SegmentSetMode)}
            data={[
              { value: 'UNION', label: t('mode.union') },
              { value: 'INTERSECTION', label: t('mode.intersection') },
            ]}
          />
          <Text fz="sm" c="dimmed">
            {mode === 'INTERSECTION' ? t('mode.intersectionHelp') : t('mode.unionHelp')}
          </Text>
        </Group>
      ) : null}

      {several ? (
        <SegmentChips summaries={summaries} label={t('header.segments', { count: summaries.length })} />
      ) : summaries[0] && !error ? (
        <SegmentDetails summary={summaries[0]} timeZone={timeZone} />
      ) : null}

      {excluded.length > 0 ? (
        <SegmentChips summaries={excluded} label={t('header.notIn')} testId="excluded-segments" />
      ) : null}

      {several || excluded.length > 0 ? (
        <Text fz="xs" c="dimmed">
          {t('header.limit', { max: MAX_DRILLDOWN_SEGMENTS })}
        </Text>
      ) : null}
    </Stack>
  );
}

/** A labelled row of segment chips; beyond COLLAPSED_CHIPS, the rest open on request. */
function SegmentChips({ summaries, label, testId }: { summaries: SegmentSummaryState[]; label: string; testId?: string }) {
  const { t } = useTranslation('segment-customers');
  const [expanded, setExpanded] = useState(false);
  const hidden = summaries.length - COLLAPSED_CHIPS;
  const shown = expanded || hidden <= 0 ? summaries : summaries.slice(0, COLLAPSED_CHIPS);
  const stale = summaries.filter((summary) => summary.segment?.membershipStale).length;
  return (
    <Group gap={6} wrap="wrap" align="center" data-testid={testId}>
      <Text fz="sm" fw={600} component="span">
        {label}
      </Text>
      {shown.map((summary) => (
        <SegmentChip key={summary.id} summary={summary} />
      ))}
      {hidden > 0 ? (
        <Button size="compact-xs" variant="subtle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t('header.showFewer') : t('header.andMore', { count: hidden })}
        </Button>
      ) : null}
      {stale > 0 ? (
        <Text fz="xs" c="dimmed" component="span">
          {t('header.staleCount', { count: stale })}
        </Text>
      ) : null}
    </Group>
  );
}

function SegmentChip({ summary }: { summary: SegmentSummaryState }) {
  const { t } = useTranslation('segment-customers');
  const { id, segment } = summary;
  if (segment === undefined) {
    return summary.error ? <Pill>#{id}</Pill> : <Skeleton h={22} w={120} radius="xl" />;
  }
  if (segment === null) {
    return (
      <Pill data-testid={`segment-summary-${id}`} c="red.9">
        #{id}: {t('header.missing')}
      </Pill>
    );
  }
  return (
    <Pill data-testid={`segment-summary-${id}`} title={`#${segment.id}`}>
      {segment.name} · {formatCount(segment.customerCount)}
      {segment.membershipStale ? ` · ${t('header.stale')}` : ''}
      {segment.status === 'INACTIVE' ? ` · ${t('header.inactive')}` : ''}
    </Pill>
  );
}

/** One segment: its count, status and last refresh, on one line. */
function SegmentDetails({ summary, timeZone }: { summary: SegmentSummaryState; timeZone: string | undefined }) {
  const { t } = useTranslation('segment-customers');
  const { id, segment } = summary;
  if (segment === undefined) return <Skeleton h={22} w={320} />;
  if (segment === null) {
    return (
      <Text c="red.9" fz="sm" data-testid={`segment-summary-${id}`}>
        {t('header.missing')}
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="wrap" data-testid={`segment-summary-${id}`}>
      <Text fz="sm">
        {t('header.customers', { count: segment.customerCount, formatted: formatCount(segment.customerCount) })}
      </Text>
      <Text fz="sm" c="dimmed">
        {segment.refreshedAt
          ? timeZone
            ? t('header.refreshed', { time: formatDateTime(segment.refreshedAt, timeZone), timeZone })
            : t('header.refreshedPending')
          : t('header.neverRefreshed')}
      </Text>
      {segment.status === 'INACTIVE' ? (
        <Badge color="dark" variant="outline" tt="none">
          {t('header.inactiveBadge')}
        </Badge>
      ) : null}
      {segment.membershipStale ? (
        <Badge color="yellow" variant="filled" autoContrast tt="none">
          {t('header.staleBadge')}
        </Badge>
      ) : null}
    </Group>
  );
}
