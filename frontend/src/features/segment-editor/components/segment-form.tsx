// The segment form: name, description, status, websites and the rule, with
// the live count beside it. Saving creates the segment, or sends only what
// changed (updateSegment's SegmentPatch); the server's errors are shown at
// the field or condition they concern.
import { Alert, Button, Grid, Group, MultiSelect, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SegmentStatus } from '@/gql/graphql';
import { toApiError } from '@/lib/graphql-client';
import { ErrorAlert } from '@/components/error-alert';
import type { GroupNode } from '../rule/model';
import { placeErrors, type SegmentFormValues } from '../utils/form-values';
import { PreviewCount } from './preview-count';
import { RuleBuilder, type CodeOption } from './rule-builder';

export interface SegmentFormProps {
  initialValues: SegmentFormValues;
  websites: (CodeOption & { id: string })[];
  groups: CodeOption[];
  currency: string;
  /** Saves; throws the API's error when the server refuses. */
  onSave: (values: SegmentFormValues) => Promise<void>;
  onCancel: () => void;
}

export function SegmentForm({ initialValues, websites, groups, currency, onSave, onCancel }: SegmentFormProps) {
  const { t } = useTranslation('segment-editor');
  // The rule is state of its own: typing a name does not re-render the rule builder.
  const [rule, setRule] = useState(initialValues.rule);
  const form = useForm<Omit<SegmentFormValues, 'rule'>>({
    mode: 'controlled',
    initialValues: { name: initialValues.name, description: initialValues.description, status: initialValues.status, websiteIds: initialValues.websiteIds },
    validate: {
      name: (v) => (v.trim() === '' ? t('editor.nameRequired') : null),
      websiteIds: (v) => (v.length === 0 ? t('editor.websitesRequired') : null),
    },
  });
  const [conditionErrors, setConditionErrors] = useState<Map<string, string[]>>(new Map());
  const [failure, setFailure] = useState<{ error?: unknown; messages?: string[] } | null>(null);
  const [saving, setSaving] = useState(false);

  const changeRule = useCallback((update: (rule: GroupNode) => GroupNode) => setRule(update), []);
  // A condition's error goes once the condition is removed.
  useEffect(() => setConditionErrors((errors) => (errors.size > 0 ? keepPresent(errors, rule) : errors)), [rule]);

  const submit = form.onSubmit(async (fields) => {
    const values: SegmentFormValues = { ...fields, rule };
    setSaving(true);
    setFailure(null);
    setConditionErrors(new Map());
    try {
      await onSave(values);
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'BAD_USER_INPUT' && apiError.details.length > 0) {
        const placed = placeErrors(apiError.details, values.rule);
        for (const [field, message] of Object.entries(placed.fields)) form.setFieldError(field, message);
        setConditionErrors(placed.conditions);
        if (placed.other.length > 0) setFailure({ messages: placed.other });
      } else {
        setFailure({ error });
      }
    } finally {
      setSaving(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <TextInput label={t('editor.name')} required maxLength={255} {...form.getInputProps('name')} />
            <Textarea label={t('editor.description')} rows={3} maxLength={2000} {...form.getInputProps('description')} />
            <Stack gap={4}>
              <Text component="label" id="segment-status-label" fz="sm" fw={500}>
                {t('editor.status')}
              </Text>
              <SegmentedControl
                aria-labelledby="segment-status-label"
                w="fit-content"
                data={(['ACTIVE', 'INACTIVE'] as SegmentStatus[]).map((s) => ({ value: s, label: t(`status.${s}`) }))}
                {...form.getInputProps('status')}
              />
              {form.errors.status ? (
                <Text c="red.8" fz="sm">
                  {form.errors.status}
                </Text>
              ) : null}
            </Stack>
            <MultiSelect
              label={t('editor.websites')}
              placeholder={form.values.websiteIds.length ? undefined : t('editor.websitesPlaceholder')}
              required
              data={websites.map((w) => ({ value: w.id, label: w.name }))}
              {...form.getInputProps('websiteIds')}
            />
            <Stack gap={4}>
              <Title order={2} fz="lg">
                {t('editor.rule')}
              </Title>
              <Text fz="sm" c="gray.7">
                {t('editor.ruleHelp')}
              </Text>
            </Stack>
            <RuleBuilder
              value={rule}
              onChange={changeRule}
              errors={conditionErrors}
              groups={groups}
              websites={websites}
              currency={currency}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md" pos="sticky" top={64}>
            <PreviewCount websiteIds={form.values.websiteIds} rule={rule} />
            {failure ? (
              failure.error ? (
                <ErrorAlert error={failure.error} title={t('editor.saveFailed')} />
              ) : (
                <Alert color="red" variant="light" title={t('editor.saveFailed')}>
                  {failure.messages?.map((m, i) => (
                    <Text key={i} fz="sm">
                      {m}
                    </Text>
                  ))}
                </Alert>
              )
            ) : null}
            <Group>
              <Button type="submit" loading={saving}>
                {t('editor.save')}
              </Button>
              <Button variant="default" onClick={onCancel}>
                {t('editor.cancel')}
              </Button>
            </Group>
          </Stack>
        </Grid.Col>
      </Grid>
    </form>
  );
}

/** The errors of conditions still in the rule (a removed condition's error goes with it). */
function keepPresent(errors: Map<string, string[]>, rule: GroupNode): Map<string, string[]> {
  const keys = new Set<string>();
  const walk = (node: GroupNode | GroupNode['conditions'][number]) => {
    keys.add(node.key);
    if (node.kind === 'group') node.conditions.forEach(walk);
  };
  walk(rule);
  const kept = new Map([...errors].filter(([key]) => keys.has(key)));
  return kept.size === errors.size ? errors : kept;
}
