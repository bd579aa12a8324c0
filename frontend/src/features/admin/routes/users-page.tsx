// Screen: the users (/admin/users): who may sign in, with which role and
// websites; create a user, change one, disable or enable.
import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { toApiError } from '@/lib/graphql-client';
import { formatDateTime } from '@/lib/format';
import { useStoreTimeZone } from '@/lib/store-settings';
import { useViewer } from '@/features/auth/components/session-gate';
import { useUpdateUser, useUsers } from '../api/admin';
import { CreateUserModal, EditUserModal, type EditableUser } from '../components/user-form-modal';
import { ForwardPager } from '../components/forward-pager';
import { useForwardPager } from '../hooks/use-forward-pager';
import { useNotify } from '../hooks/use-notify';

export function UsersPage() {
  const { t } = useTranslation('admin');
  const viewer = useViewer();
  const [pageSize, setPageSize] = useState(50);
  const pager = useForwardPager(pageSize, []);
  const users = useUsers(pager.variables);
  const timeZone = useStoreTimeZone().data ?? 'UTC';
  const update = useUpdateUser();
  const notify = useNotify();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<EditableUser | null>(null);

  function setDisabled(user: EditableUser, disabled: boolean) {
    const go = () =>
      update.mutate(
        { id: user.id, input: { disabled } },
        {
          onSuccess: () =>
            notify.done(t(disabled ? 'users.disabledDone' : 'users.enabledDone', { email: user.email })),
          onError: (error) => notify.failed(toApiError(error).message),
        },
      );
    if (!disabled) return go();
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('close') },
      title: t('users.disableTitle', { email: user.email }),
      children: <Text fz="sm">{t('users.disableBody')}</Text>,
      labels: { confirm: t('users.disable'), cancel: t('cancel') },
      confirmProps: { color: 'red' },
      onConfirm: go,
    });
  }

  const page = users.data;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('users.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('users.create')}</Button>
      </Group>
      {users.error ? <ErrorAlert error={users.error} onRetry={() => void users.refetch()} /> : null}
      <ForwardPager pager={pager} pageInfo={page?.pageInfo} onPageSizeChange={setPageSize} fetching={users.isFetching} />
      <Table.ScrollContainer minWidth={760}>
        <Table striped withTableBorder style={{ opacity: users.isPlaceholderData ? 0.6 : 1 }} data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('fields.email')}</Table.Th>
              <Table.Th scope="col">{t('fields.role')}</Table.Th>
              <Table.Th scope="col">{t('fields.websites')}</Table.Th>
              <Table.Th scope="col">{t('users.status')}</Table.Th>
              <Table.Th scope="col">{t('users.createdAt')}</Table.Th>
              <Table.Th scope="col">{t('actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.isPending ? (
              <Table.Tr>
                <Table.Td colSpan={6}>{t('loading')}</Table.Td>
              </Table.Tr>
            ) : null}
            {page?.nodes.map((user) => (
              <Table.Tr key={user.id}>
                <Table.Td>{user.email}</Table.Td>
                <Table.Td>{t(`roles.${user.role}`)}</Table.Td>
                <Table.Td>{user.websites.length ? user.websites.map((w) => w.name).join(', ') : t('allWebsites')}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {user.disabled ? (
                      <Badge color="#a51d1d" variant="outline">
                        {t('users.disabled')}
                      </Badge>
                    ) : (
                      <Badge color="#1b5e20" variant="outline">
                        {t('users.enabled')}
                      </Badge>
                    )}
                    {user.mustChangePassword ? (
                      <Badge color="#343a40" variant="outline">
                        {t('users.mustChangePassword')}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>{formatDateTime(user.createdAt, timeZone)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => setEditing(user)}
                      aria-label={t('users.editLabel', { email: user.email })}
                    >
                      {t('users.edit')}
                    </Button>
                    {user.email === viewer.email ? null : (
                      <Button
                        size="compact-sm"
                        variant="default"
                        color={user.disabled ? undefined : 'red'}
                        onClick={() => setDisabled(user, !user.disabled)}
                        aria-label={t(user.disabled ? 'users.enableLabel' : 'users.disableLabel', { email: user.email })}
                      >
                        {t(user.disabled ? 'users.enable' : 'users.disable')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      {editing ? <EditUserModal key={editing.id} user={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
}

export default UsersPage;
