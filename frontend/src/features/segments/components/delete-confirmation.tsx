// The body of the delete confirmation: the names of the segments that go
// (the first ten, then "and N more").
import { List, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { fetchSegmentNames } from '../api/get-segments';
import { segmentKeys } from '../api/query-keys';

/** How many names the confirmation lists. */
export const LISTED_NAMES = 10;

export function DeleteConfirmation({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation('segments');
  const listed = ids.slice(0, LISTED_NAMES);
  const names = useQuery({
    queryKey: [...segmentKeys.all, 'names', listed] as const,
    queryFn: () => fetchSegmentNames(listed),
  });
  return (
    <Stack gap="xs">
      <Text fz="sm">{t('actions.deleteBody')}</Text>
      {names.error ? <ErrorAlert error={names.error} /> : null}
      {names.isPending ? (
        <Loader size="sm" aria-label={t('actions.deleteLoadingNames')} />
      ) : (
        <List size="sm" withPadding data-testid="delete-names">
          {(names.data ?? listed.map((id) => ({ id, name: `#${id}` }))).map((segment) => (
            <List.Item key={segment.id}>
              {segment.name} <Text span c="gray.7" fz="xs">(ID {segment.id})</Text>
            </List.Item>
          ))}
          {ids.length > LISTED_NAMES ? <List.Item>{t('actions.deleteMore', { count: ids.length - LISTED_NAMES })}</List.Item> : null}
        </List>
      )}
    </Stack>
  );
}
