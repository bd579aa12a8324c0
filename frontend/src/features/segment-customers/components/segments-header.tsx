// The drill-down header: which segment(s), how many customers, when refreshed.
import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { SegmentSetMode } from '@/gql/graphql';
import { formatCount, formatDateTime } from '@/lib/format';
import { ErrorAlert } from '@/components/error-alert';
import type { SegmentSummaryState } from '../api/get-segment-customers';

export function SegmentsHeader({
  summaries,
  mode,
  timeZone,
}: {
  summaries: SegmentSummaryState[];
  mode: SegmentSetMode;
  timeZone: string | undefined;
}) {
  const several = summaries.length > 1;
  const names = summaries.map((s) => s.segment?.name ?? `#${s.id}`);
  const title = several
    ? `Customers in ${mode === 'INTERSECTION' ? 'all' : 'any'} of: ${names.join(', ')}`
    : summaries[0]?.segment === undefined
      ? 'Segment customers'
      : `Customers of ${names[0]}`;

  return (
    <Stack gap="sm">
      <Title order={2}>{title}</Title>
      {several ? (
        <Text c="dimmed" fz="sm">
          {mode === 'INTERSECTION'
            ? 'Intersection: customers who are in every one of these segments.'
            : 'Union: customers who are in at least one of these segments.'}
        </Text>
      ) : null}
      <Group gap="sm" align="stretch">
        {summaries.map((summary) => (
          <SegmentCard key={summary.id} summary={summary} timeZone={timeZone} />
        ))}
      </Group>
    </Stack>
  );
}

function SegmentCard({ summary, timeZone }: { summary: SegmentSummaryState; timeZone: string | undefined }) {
  const { id, segment, error } = summary;
  if (error) return <ErrorAlert error={error} title={`Segment #${id}`} />;
  if (segment === undefined) return <Skeleton h={72} w={240} />;
  if (segment === null) {
    return (
      <Paper withBorder p="sm">
        <Text fw={600}>Segment #{id}</Text>
        <Text c="red" fz="sm">
          No segment has this id.
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="sm" data-testid={`segment-summary-${id}`}>
      <Group gap="xs">
        <Text fw={600}>{segment.name}</Text>
        <Text c="dimmed" fz="sm">
          #{segment.id}
        </Text>
        {segment.status === 'INACTIVE' ? (
          <Badge color="gray" variant="light" tt="none">
            Inactive
          </Badge>
        ) : null}
        {segment.membershipStale ? (
          <Badge color="orange" variant="light" tt="none">
            membership stale
          </Badge>
        ) : null}
      </Group>
      <Text fz="sm">
        {formatCount(segment.customerCount)} {segment.customerCount === 1 ? 'customer' : 'customers'}
      </Text>
      <Text fz="sm" c="dimmed">
        {segment.refreshedAt
          ? timeZone
            ? `Refreshed ${formatDateTime(segment.refreshedAt, timeZone)} (${timeZone})`
            : 'Refreshed …'
          : 'Never refreshed'}
      </Text>
    </Paper>
  );
}
