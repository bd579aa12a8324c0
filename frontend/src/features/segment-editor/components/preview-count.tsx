// "Matching customers now": the count an unsaved rule would have on the
// chosen websites, asked 400 ms after the last change (a newer rule cancels
// the request under way), shown only once every condition is filled in.
import { Group, Loader, Paper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConditionGroupInput } from '@/gql/graphql';
import { toApiError } from '@/lib/graphql-client';
import { usePreviewCount } from '../api/segment-api';
import { isComplete, toInput, type GroupNode } from '../rule/model';

/** Milliseconds of quiet before the count is asked. */
export const PREVIEW_DEBOUNCE_MS = 400;

export function PreviewCount({ websiteIds, rule }: { websiteIds: string[]; rule: GroupNode }) {
  const { t } = useTranslation('segment-editor');
  const complete = websiteIds.length > 0 && isComplete(rule);
  // Compared as text, so an edit that changes nothing sent asks nothing.
  const current = complete ? JSON.stringify({ websiteIds, conditions: toInput(rule) }) : '';
  const [debounced] = useDebouncedValue(current, PREVIEW_DEBOUNCE_MS);
  const input = useMemo(
    () => (debounced ? (JSON.parse(debounced) as { websiteIds: string[]; conditions: ConditionGroupInput }) : null),
    [debounced],
  );
  const query = usePreviewCount(input);
  const waiting = complete && (current !== debounced || query.isFetching);

  let body;
  if (!complete) {
    body = (
      <Text fz="sm" c="gray.7">
        {t('preview.incomplete')}
      </Text>
    );
  } else if (query.error && !query.isFetching) {
    body = (
      <Text fz="sm" c="red.8">
        {t('preview.failed', { message: toApiError(query.error).message })}
      </Text>
    );
  } else {
    body = (
      <Group gap="xs">
        {query.data !== undefined ? (
          <Text fz="xl" fw={700} c={waiting ? 'gray.7' : undefined} data-testid="preview-count">
            {t('preview.count', { count: query.data })}
          </Text>
        ) : null}
        {waiting ? (
          <Group gap={4}>
            <Loader size="xs" aria-hidden />
            <Text fz="sm" c="gray.7">
              {t('preview.counting')}
            </Text>
          </Group>
        ) : null}
      </Group>
    );
  }

  return (
    <Paper withBorder p="sm" radius="sm" aria-live="polite" aria-busy={waiting}>
      <Text fz="sm" fw={600}>
        {t('preview.label')}
      </Text>
      {body}
    </Paper>
  );
}
