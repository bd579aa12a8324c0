// Screens: a new segment (/segments/new), a duplicate (/segments/new?from=<id>:
// "Copy of <name>" with the same rule and websites) and editing one
// (/segments/:id/edit). Saved segments open on their page.
import { Anchor, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import { useViewer } from '@/features/auth/components/session-gate';
import { useCreateSegment, useEditorLists, useSegmentDetails, useUpdateSegment } from '../api/segment-api';
import { SegmentForm } from '../components/segment-form';
import type { SavedGroup } from '../rule/model';
import { notify } from '../utils/notify';
import { canEdit } from '../utils/roles';
import { emptyValues, toSegmentInput, toSegmentPatch, valuesOf, type SegmentFormValues } from '../utils/form-values';

export function SegmentEditorPage() {
  const { t } = useTranslation('segment-editor');
  const viewer = useViewer();
  const navigate = useNavigate();
  const { id } = useParams();
  const [search] = useSearchParams();
  const from = id ? undefined : (search.get('from') ?? undefined);
  const sourceId = id ?? from;

  const lists = useEditorLists();
  const source = useSegmentDetails(sourceId);
  const create = useCreateSegment();
  const update = useUpdateSegment();

  const initialValues = useMemo<SegmentFormValues | undefined>(() => {
    if (!sourceId) return emptyValues();
    const segment = source.data;
    if (!segment) return undefined;
    const saved = { ...segment, conditions: segment.conditions as unknown as SavedGroup };
    return valuesOf(saved, from ? t('editor.copyOf', { name: segment.name }) : segment.name);
    // Built once per loaded segment: later refetches must not reset the form.
  }, [sourceId, source.data?.id]);

  const title = id
    ? t('editor.titleEdit', { name: source.data?.name ?? '' })
    : from
      ? t('editor.titleDuplicate', { name: source.data?.name ?? '' })
      : t('editor.titleNew');

  if (!canEdit(viewer)) {
    return (
      <Stack gap="sm">
        <Title order={1}>{t('editor.titleNew')}</Title>
        <Text>{t('editor.forbidden')}</Text>
      </Stack>
    );
  }

  const error = lists.error ?? source.error;
  if (error) {
    return (
      <Stack gap="sm">
        <Title order={1}>{title}</Title>
        <ErrorAlert error={error} onRetry={() => void (lists.error ? lists.refetch() : source.refetch())} />
      </Stack>
    );
  }
  if (sourceId && source.data === null) {
    return (
      <Stack gap="sm">
        <Title order={1}>{t('editor.notFound', { id: sourceId })}</Title>
        <Anchor component={Link} to={paths.segments}>
          {t('editor.backToReport')}
        </Anchor>
      </Stack>
    );
  }
  if (!lists.data || !initialValues) {
    return (
      <Center py="xl">
        <Loader aria-label={t('editor.loading')} />
      </Center>
    );
  }

  const save = async (values: SegmentFormValues) => {
    let savedId: string;
    if (id) {
      const patch = toSegmentPatch(initialValues, values);
      if (Object.keys(patch).length === 0) {
        notify({ message: t('editor.nothingChanged') });
        navigate(paths.segment(id));
        return;
      }
      savedId = (await update.mutateAsync({ id, patch })).updateSegment.id;
    } else {
      savedId = (await create.mutateAsync(toSegmentInput(values))).createSegment.id;
    }
    notify({ color: 'green', title: t('editor.saved'), message: t('editor.savedMessage', { name: values.name.trim() }) });
    navigate(paths.segment(savedId));
  };

  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      <SegmentForm
        key={sourceId ?? 'new'}
        initialValues={initialValues}
        websites={lists.data.websites}
        groups={lists.data.customerGroups}
        currency={lists.data.store.baseCurrency}
        onSave={save}
        onCancel={() => navigate(id ? paths.segment(id) : paths.segments)}
      />
    </Stack>
  );
}
