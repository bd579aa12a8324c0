// Screen: one segment (/segments/:id) — its details, its rule in words, its
// member count over past refreshes, and what the viewer's role allows doing
// with it: edit, duplicate, refresh, activate/deactivate, delete, and its
// customers.
import { Anchor, Badge, Button, Card, Center, Group, Loader, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import { useViewer } from '@/features/auth/components/session-gate';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format';
import {
  useDeleteSegments,
  useRefreshJob,
  useRefreshSegmentData,
  useSetSegmentStatus,
  type RefreshJob,
} from '@/features/segments/api/segment-actions';
import { editorKeys, useEditorLists, useSegmentDetails } from '../api/segment-api';
import { MemberHistory } from '../components/member-history';
import { RuleWords } from '../components/rule-words';
import { fromSaved, type SavedGroup } from '../rule/model';
import { ruleInWords } from '../rule/words';
import { notify } from '../utils/notify';
import { canEdit } from '../utils/roles';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="gray.7" tt="uppercase" fw={600} component="dt">
        {label}
      </Text>
      <Text fz="sm" component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

export function SegmentPage() {
  const { t, i18n } = useTranslation('segment-editor');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const viewer = useViewer();
  const client = useQueryClient();
  const details = useSegmentDetails(id);
  const lists = useEditorLists();
  const setStatus = useSetSegmentStatus();
  const remove = useDeleteSegments();
  const refresh = useRefreshSegmentData();
  const [run, setRun] = useState<RefreshJob>();
  const jobId = run?.id;
  const job = useRefreshJob(jobId, run);
  const [actionError, setActionError] = useState<unknown>(null);
  const segment = details.data;
  const timeZone = lists.data?.store.timeZone ?? 'UTC';

  // A refresh that finished: show the new count and history.
  const jobState = job.data?.state;
  useEffect(() => {
    if (jobState === 'SUCCEEDED' || jobState === 'FAILED') {
      void client.invalidateQueries({ queryKey: editorKeys.segment(id) });
      void client.invalidateQueries({ queryKey: ['segments'] });
      if (jobState === 'SUCCEEDED') notify({ color: 'green', message: t('page.refreshDone') });
    }
  }, [jobState, client, id, t]);

  const words = useMemo(() => {
    if (!segment) return null;
    const byCode = (items: readonly { code: string; name: string }[] | undefined) =>
      new Map((items ?? []).map((i) => [i.code.toLowerCase(), i.name]));
    return ruleInWords(fromSaved(segment.conditions as unknown as SavedGroup), {
      t,
      groups: byCode(lists.data?.customerGroups),
      websites: byCode(lists.data?.websites),
      currency: lists.data?.store.baseCurrency,
    });
    // Words follow the language too.
  }, [segment, lists.data, t, i18n.language]);

  if (details.error) {
    return (
      <Stack gap="sm">
        <Title order={1}>{t('page.loading')}</Title>
        <ErrorAlert error={details.error} onRetry={() => void details.refetch()} />
      </Stack>
    );
  }
  if (details.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('page.loading')} />
      </Center>
    );
  }
  if (!segment) {
    return (
      <Stack gap="sm">
        <Title order={1}>{t('page.notFound', { id })}</Title>
        <Anchor component={Link} to={paths.segments}>
          {t('editor.backToReport')}
        </Anchor>
      </Stack>
    );
  }

  const editor = canEdit(viewer);
  const refreshing = refresh.isPending || (jobId !== undefined && jobState !== undefined && jobState !== 'SUCCEEDED' && jobState !== 'FAILED');
  const fail = (error: unknown) => setActionError(error);

  // Incremental unless full: every customer re-evaluated (the same result, slower).
  const startRefresh = (full = false) => {
    setActionError(null);
    refresh.mutate({ segmentIds: [id], full }, { onSuccess: setRun, onError: fail });
  };

  const toggleStatus = () => {
    setActionError(null);
    const status = segment.status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE';
    setStatus.mutate(
      { ids: [id], status },
      {
        onSuccess: () => {
          void client.invalidateQueries({ queryKey: editorKeys.segment(id) });
          notify({ message: t('page.statusChanged', { name: segment.name, status: t(`status.${status}`) }) });
        },
        onError: fail,
      },
    );
  };

  const confirmDelete = () =>
    modals.openConfirmModal({
      title: t('page.deleteTitle'),
      children: <Text fz="sm">{t('page.deleteConfirm', { name: segment.name })}</Text>,
      labels: { confirm: t('page.deleteButton', { name: segment.name }), cancel: t('editor.cancel') },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('page.close') },
      onConfirm: () => {
        setActionError(null);
        remove.mutate([id], {
          onSuccess: () => {
            client.removeQueries({ queryKey: editorKeys.segment(id) });
            notify({ message: t('page.deleted', { name: segment.name }) });
            navigate(paths.segments);
          },
          onError: fail,
        });
      },
    });

  const jobData = job.data;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Title order={1}>{segment.name}</Title>
          <Group gap="xs">
            <Badge color={segment.status === 'ACTIVE' ? 'teal.9' : 'gray.7'} variant="filled">
              {t(`status.${segment.status}`)}
            </Badge>
            {!segment.refreshedAt ? (
              <Badge color="red.9" variant="outline">
                {t('page.neverRefreshed')}
              </Badge>
            ) : segment.membershipStale ? (
              <Badge color="red.9" variant="outline" title={t('page.staleHint')}>
                {t('page.stale')}
              </Badge>
            ) : null}
          </Group>
        </Stack>
        <Group gap="xs" role="group" aria-label={t('page.actions')}>
          <Button component={Link} to={paths.segmentCustomers([id])} variant="light">
            {t('page.viewCustomers')}
          </Button>
          {editor ? (
            <>
              <Button component={Link} to={paths.segmentEdit(id)}>
                {t('page.edit')}
              </Button>
              <Button component={Link} to={paths.segmentDuplicate(id)} variant="default">
                {t('page.duplicate')}
              </Button>
              <Button variant="default" onClick={() => startRefresh()} loading={refreshing}>
                {t('page.refresh')}
              </Button>
              <Button variant="subtle" onClick={() => startRefresh(true)} disabled={refreshing} title={t('page.refreshFullHint')}>
                {t('page.refreshFull')}
              </Button>
              <Button variant="default" onClick={toggleStatus} loading={setStatus.isPending}>
                {segment.status === 'ACTIVE' ? t('page.deactivate') : t('page.activate')}
              </Button>
              <Button color="red" variant="outline" onClick={confirmDelete} loading={remove.isPending}>
                {t('page.delete')}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>

      {refreshing && jobData ? (
        <Stack gap={4} aria-live="polite">
          <Text fz="sm">{t('page.refreshing', { done: jobData.segmentsDone, total: jobData.segmentsTotal })}</Text>
          <Progress
            value={jobData.segmentsTotal ? (100 * jobData.segmentsDone) / jobData.segmentsTotal : 0}
            aria-label={t('page.refreshing', { done: jobData.segmentsDone, total: jobData.segmentsTotal })}
            animated
          />
        </Stack>
      ) : null}
      {jobState === 'FAILED' ? <ErrorAlert error={new Error(t('page.refreshFailed', { error: jobData?.error ?? '' }))} title={t('page.actionFailed')} /> : null}
      {job.error ? <ErrorAlert error={job.error} title={t('page.actionFailed')} /> : null}
      {actionError ? <ErrorAlert error={actionError} title={t('page.actionFailed')} /> : null}

      <Card withBorder>
        <Title order={2} fz="lg" mb="sm">
          {t('page.details')}
        </Title>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 4 }} m={0}>
          <Fact label={t('page.customers')}>
            <Text component="span" fw={700} data-testid="customer-count">
              {formatCount(segment.customerCount)}
            </Text>
          </Fact>
          <Fact label={t('page.websites')}>{segment.websites.map((w) => w.name).join(', ')}</Fact>
          <Fact label={t('page.refreshed')}>
            {segment.refreshedAt ? (
              <span title={formatRelative(segment.refreshedAt)}>{formatDateTime(segment.refreshedAt, timeZone)}</span>
            ) : (
              t('page.neverRefreshed')
            )}
          </Fact>
          <Fact label={t('page.status')}>{t(`status.${segment.status}`)}</Fact>
        </SimpleGrid>
        <Stack gap={2} mt="md">
          <Text fz="xs" c="gray.7" tt="uppercase" fw={600}>
            {t('page.description')}
          </Text>
          <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }} c={segment.description ? undefined : 'gray.7'}>
            {segment.description ?? t('page.noDescription')}
          </Text>
        </Stack>
      </Card>

      <Card withBorder>
        <Title order={2} fz="lg" mb="sm">
          {t('page.rule')}
        </Title>
        {words ? <RuleWords words={words} /> : null}
      </Card>

      <Card withBorder>
        <Title order={2} fz="lg" mb="sm">
          {t('page.history')}
        </Title>
        <MemberHistory history={segment.refreshHistory} timeZone={timeZone} />
      </Card>
    </Stack>
  );
}
