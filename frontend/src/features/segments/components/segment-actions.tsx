// The action bar of the report: Refresh Segment Data (the selection, or every
// active segment when none is selected; incremental, or a full re-evaluation
// when chosen in its confirmation) with its run's progress, and the mass
// actions on the selection: View customers (union / intersection), Compare,
// Activate, Deactivate, Delete (confirmed, naming what goes). Only what the
// viewer's role allows is offered; limits are explained next to the buttons.
import { Alert, Badge, Button, Checkbox, Group, Progress, SegmentedControl, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { paths, type SetMode } from '@/config/paths';
import type { SegmentStatus } from '@/gql/graphql';
import { segmentKeys } from '../api/query-keys';
import {
  isFinished,
  MAX_MASS_IDS,
  useDeleteSegments,
  useRefreshJob,
  useRefreshSegmentData,
  useSetSegmentStatus,
  type RefreshJob,
} from '../api/segment-actions';
import type { ReportPermissions } from '../utils/roles';
import { DeleteConfirmation } from './delete-confirmation';

/** The most segments one drill-down combines. */
export const MAX_VIEW_IDS = 100;
/** The most segments one comparison takes. */
export const MAX_COMPARE_IDS = 10;

export interface SegmentActionsProps {
  selectedIds: string[];
  permissions: ReportPermissions;
  /** Called with the deleted ids, so the selection can drop them. */
  onDeleted: (ids: string[]) => void;
  /** No segment on screen was ever refreshed: offer the refresh that fills the counts. */
  neverRefreshed?: boolean;
}

/** Says whether a run is a full re-evaluation or incremental. */
function RunKind({ job }: { job: RefreshJob }) {
  const { t } = useTranslation('segments');
  return (
    <Badge size="xs" variant="light" color={job.full ? 'grape' : 'gray'} data-testid="refresh-kind">
      {job.full ? t('actions.runFull') : t('actions.runIncremental')}
    </Badge>
  );
}

/** The confirmation's choice of a full re-evaluation; it keeps its own state, as the modal renders apart. */
function FullChoice({ onChange }: { onChange: (full: boolean) => void }) {
  const { t } = useTranslation('segments');
  const [full, setFull] = useState(false);
  return (
    <Checkbox
      mt="sm"
      label={t('actions.refreshFull')}
      description={t('actions.refreshFullHint')}
      checked={full}
      onChange={(event) => {
        setFull(event.currentTarget.checked);
        onChange(event.currentTarget.checked);
      }}
    />
  );
}

function RefreshProgress({ job, onDone }: { job: RefreshJob; onDone: (job: RefreshJob) => void }) {
  const { t } = useTranslation('segments');
  const poll = useRefreshJob(job.id, job);
  const current = poll.data ?? job;
  const finished = isFinished(current);
  useEffect(() => {
    if (finished) onDone(current);
    // Once per run: onDone changes with every render of the parent.
  }, [finished, current.id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (poll.error) return <ErrorAlert error={poll.error} title={t('actions.refreshFailed')} onRetry={() => void poll.refetch()} />;
  if (finished) return null;
  const total = Math.max(current.segmentsTotal, 1);
  return (
    <Stack gap={4} data-testid="refresh-progress">
      <Group gap="xs">
        <Text fz="sm" aria-live="polite">
          {current.state === 'QUEUED'
            ? t('actions.refreshQueued')
            : t('actions.refreshing', { done: current.segmentsDone, total: current.segmentsTotal })}
        </Text>
        <RunKind job={current} />
      </Group>
      <Progress
        value={(current.segmentsDone / total) * 100}
        animated
        aria-label={t('actions.refreshing', { done: current.segmentsDone, total: current.segmentsTotal })}
      />
    </Stack>
  );
}

export function SegmentActions({ selectedIds, permissions, onDeleted, neverRefreshed = false }: SegmentActionsProps) {
  const { t } = useTranslation('segments');
  const navigate = useNavigate();
  const client = useQueryClient();
  const [mode, setMode] = useState<SetMode>('union');
  const [job, setJob] = useState<RefreshJob | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  // The confirmation's choice, read when it is confirmed.
  const full = useRef(false);
  const refresh = useRefreshSegmentData();
  const setStatus = useSetSegmentStatus();
  const remove = useDeleteSegments();

  const count = selectedIds.length;
  const tooManyForMass = count > MAX_MASS_IDS;
  const massDisabled = count === 0 || tooManyForMass;
  const busy = setStatus.isPending || remove.isPending;
  const refreshing = refresh.isPending || (job !== null && !isFinished(job));

  const reasons: string[] = [];
  if (count === 0) reasons.push(t('actions.needSelection'));
  else {
    if (tooManyForMass) reasons.push(t('actions.tooManyForMass', { max: MAX_MASS_IDS }));
    if (permissions.viewCustomers && count > MAX_VIEW_IDS) reasons.push(t('actions.tooManyForView', { max: MAX_VIEW_IDS }));
    if (count < 2 || count > MAX_COMPARE_IDS) reasons.push(t('actions.compareRange', { max: MAX_COMPARE_IDS }));
  }

  const notify = (message: { color: string; title?: string; message: string }) =>
    notifications.show({ ...message, closeButtonProps: { 'aria-label': t('actions.close') } });

  function refreshDone(finished: RefreshJob) {
    setJob(null);
    void client.invalidateQueries({ queryKey: segmentKeys.all });
    if (finished.state === 'FAILED') {
      setFailed(finished.error ?? t('actions.refreshFailed'));
      return;
    }
    notify({
      color: 'green',
      title: t('actions.refreshDoneTitle'),
      message: `${t('actions.refreshDone', { count: finished.segmentsTotal })} (${
        finished.full ? t('actions.runFull') : t('actions.runIncremental')
      })`,
    });
  }

  function startRefresh() {
    const ids = count > 0 ? selectedIds : null;
    setFailed(null);
    refresh.mutate(
      { segmentIds: ids, full: full.current },
      { onSuccess: (started) => (isFinished(started) ? refreshDone(started) : setJob(started)) },
    );
  }

  function confirmRefresh() {
    full.current = false;
    modals.openConfirmModal({
      title: t('actions.refreshConfirmTitle'),
      children: (
        <>
          <Text fz="sm">
            {count > 0 ? t('actions.refreshConfirmSelected', { count }) : t('actions.refreshConfirmAll')}
          </Text>
          <FullChoice onChange={(checked) => (full.current = checked)} />
        </>
      ),
      labels: { confirm: t('actions.refreshStart'), cancel: t('actions.cancel') },
      closeButtonProps: { 'aria-label': t('actions.close') },
      onConfirm: startRefresh,
    });
  }

  function changeStatus(status: SegmentStatus) {
    setStatus.mutate(
      { ids: selectedIds, status },
      {
        onSuccess: (segments) =>
          notify({
            color: 'green',
            message: t('actions.statusDone', { count: segments.length, status: t(`status.${status}`).toLowerCase() }),
          }),
      },
    );
  }

  function confirmDelete() {
    const ids = [...selectedIds];
    modals.openConfirmModal({
      title: t('actions.deleteTitle', { count: ids.length }),
      children: <DeleteConfirmation ids={ids} />,
      labels: { confirm: t('actions.deleteConfirm'), cancel: t('actions.cancel') },
      confirmProps: { color: 'red' },
      closeButtonProps: { 'aria-label': t('actions.close') },
      onConfirm: () =>
        remove.mutate(ids, {
          onSuccess: (deleted) => {
            onDeleted(deleted);
            notify({ color: 'green', message: t('actions.deleteDone', { count: deleted.length }) });
          },
        }),
    });
  }

  const mutationError = setStatus.error ?? remove.error ?? refresh.error;
  const mutationErrorTitle = setStatus.error
    ? t('actions.statusFailed')
    : remove.error
      ? t('actions.deleteFailed')
      : t('actions.refreshFailed');

  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="wrap" role="group" aria-label={t('actions.label')}>
        {permissions.edit ? (
          <Button
            size="xs"
            onClick={confirmRefresh}
            loading={refreshing}
            disabled={tooManyForMass}
            title={count > 0 ? t('actions.refreshSelected', { count }) : t('actions.refreshAllActive')}
          >
            {t('actions.refresh')}
          </Button>
        ) : null}
        {permissions.viewCustomers ? (
          <Group gap={4} wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('actions.combine')}
              value={mode}
              onChange={(value) => setMode(value as SetMode)}
              data={[
                { value: 'union', label: t('actions.union') },
                { value: 'intersection', label: t('actions.intersection') },
              ]}
            />
            <Button
              size="xs"
              variant="light"
              onClick={() => navigate(paths.segmentCustomers(selectedIds, mode))}
              disabled={count === 0 || count > MAX_VIEW_IDS}
            >
              {t('actions.viewCustomers')}
            </Button>
          </Group>
        ) : null}
        {permissions.compare ? (
          <Button
            size="xs"
            variant="light"
            onClick={() => navigate(paths.segmentOverlap(selectedIds))}
            disabled={count < 2 || count > MAX_COMPARE_IDS}
          >
            {t('actions.compare')}
          </Button>
        ) : null}
        {permissions.edit ? (
          <>
            <Button size="xs" variant="default" onClick={() => changeStatus('ACTIVE')} disabled={massDisabled || busy}>
              {t('actions.activate')}
            </Button>
            <Button size="xs" variant="default" onClick={() => changeStatus('INACTIVE')} disabled={massDisabled || busy}>
              {t('actions.deactivate')}
            </Button>
            <Button size="xs" variant="light" color="red" onClick={confirmDelete} disabled={massDisabled || busy}>
              {t('actions.delete')}
            </Button>
            <Button size="xs" variant="outline" component={Link} to={paths.segmentNew} ml="auto">
              {t('actions.newSegment')}
            </Button>
          </>
        ) : null}
      </Group>
      <Text fz="xs" c="gray.7" data-testid="action-hints">
        {(permissions.edit ? [count > 0 ? t('actions.refreshSelected', { count }) : t('actions.refreshAllActive')] : [])
          .concat(reasons)
          .join(' · ')}
      </Text>
      {neverRefreshed && !job ? (
        <Alert color="blue" variant="light" p="xs">
          <Group gap="sm" justify="space-between">
            <Text fz="sm">{t('empty.neverRefreshed')}</Text>
            {permissions.edit ? (
              <Button size="compact-sm" variant="light" onClick={confirmRefresh} disabled={refreshing}>
                {t('actions.refresh')}
              </Button>
            ) : null}
          </Group>
        </Alert>
      ) : null}
      {job ? <RefreshProgress job={job} onDone={refreshDone} /> : null}
      {failed ? (
        <Alert color="red" variant="light" title={t('actions.refreshFailed')} withCloseButton onClose={() => setFailed(null)}>
          {failed}
        </Alert>
      ) : null}
      {mutationError ? <ErrorAlert error={mutationError} title={mutationErrorTitle} /> : null}
    </Stack>
  );
}
