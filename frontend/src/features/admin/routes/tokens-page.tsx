// Screen: the API tokens (/admin/tokens): create one (its secret shown
// once), see when each was created, last used and expires, revoke one.
import { Badge, Button, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { toApiError } from '@/lib/graphql-client';
import { formatDateTime } from '@/lib/format';
import { useStoreTimeZone } from '@/lib/store-settings';
import { useApiTokens, useRevokeApiToken } from '../api/admin';
import { CreateTokenModal } from '../components/token-form-modal';
import { useNotify } from '../hooks/use-notify';

export function TokensPage() {
  const { t } = useTranslation('admin');
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const tokens = useApiTokens(includeRevoked);
  const revoke = useRevokeApiToken();
  const notify = useNotify();
  const timeZone = useStoreTimeZone().data ?? 'UTC';
  const [creating, setCreating] = useState(false);
  const time = (value: string | null | undefined, none: string) => (value ? formatDateTime(value, timeZone) : none);

  function confirmRevoke(token: { id: string; name: string }) {
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('close') },
      title: t('tokens.revokeTitle', { name: token.name }),
      children: <Text fz="sm">{t('tokens.revokeBody')}</Text>,
      labels: { confirm: t('tokens.revoke'), cancel: t('cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(token.id, {
          onSuccess: () => notify.done(t('tokens.revoked', { name: token.name })),
          onError: (error) => notify.failed(toApiError(error).message),
        }),
    });
  }

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('tokens.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('tokens.create')}</Button>
      </Group>
      <Switch
        label={t('tokens.includeRevoked')}
        checked={includeRevoked}
        onChange={(event) => setIncludeRevoked(event.currentTarget.checked)}
      />
      {tokens.error ? <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
      <Table.ScrollContainer minWidth={860}>
        <Table striped withTableBorder data-testid="tokens-table" style={{ opacity: tokens.isPlaceholderData ? 0.6 : 1 }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('fields.tokenName')}</Table.Th>
              <Table.Th scope="col">{t('fields.role')}</Table.Th>
              <Table.Th scope="col">{t('fields.websites')}</Table.Th>
              <Table.Th scope="col">{t('tokens.createdAt')}</Table.Th>
              <Table.Th scope="col">{t('tokens.lastUsedAt')}</Table.Th>
              <Table.Th scope="col">{t('tokens.expiresAt')}</Table.Th>
              <Table.Th scope="col">{t('tokens.status')}</Table.Th>
              <Table.Th scope="col">{t('actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.isPending ? (
              <Table.Tr>
                <Table.Td colSpan={8}>{t('loading')}</Table.Td>
              </Table.Tr>
            ) : null}
            {tokens.data?.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={8}>{t('tokens.empty')}</Table.Td>
              </Table.Tr>
            ) : null}
            {tokens.data?.map((token) => {
              const expired = !!token.expiresAt && new Date(token.expiresAt) <= new Date();
              return (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>{t(`roles.${token.role}`)}</Table.Td>
                  <Table.Td>{token.websites.length ? token.websites.map((w) => w.name).join(', ') : t('allWebsites')}</Table.Td>
                  <Table.Td>{time(token.createdAt, '')}</Table.Td>
                  <Table.Td>{time(token.lastUsedAt, t('tokens.never'))}</Table.Td>
                  <Table.Td>{time(token.expiresAt, t('tokens.noExpiry'))}</Table.Td>
                  <Table.Td>
                    {token.revokedAt ? (
                      <Badge color="#a51d1d" variant="outline">
                        {t('tokens.revokedAt', { at: time(token.revokedAt, '') })}
                      </Badge>
                    ) : expired ? (
                      <Badge color="#343a40" variant="outline">
                        {t('tokens.expired')}
                      </Badge>
                    ) : (
                      <Badge color="#1b5e20" variant="outline">
                        {t('tokens.active')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {token.revokedAt ? null : (
                      <Button
                        size="compact-sm"
                        variant="default"
                        color="red"
                        onClick={() => confirmRevoke(token)}
                        aria-label={t('tokens.revokeLabel', { name: token.name })}
                      >
                        {t('tokens.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

export default TokensPage;
