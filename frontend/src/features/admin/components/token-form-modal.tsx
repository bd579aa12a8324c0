// Creating an API token: name, role, websites, optional expiry. The answer's
// secret is shown once, in a modal of its own with a copy button; closing it
// forgets the secret.
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '@/gql/graphql';
import { useCreateApiToken } from '../api/admin';
import { showRefusal } from '../utils/field-errors';
import { FormModal } from './form-modal';
import { RoleWebsitesFields } from './role-websites-fields';

export function SecretModal({ created, onClose }: { created: { name: string; secret: string }; onClose: () => void }) {
  const { t } = useTranslation('admin');
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('close') }}
      title={t('tokens.secretTitle', { name: created.name })}
      closeOnClickOutside={false}
    >
      <Stack gap="sm">
        {/* A dark title: the yellow alert's own title colour is below AA contrast. */}
        <Alert color="yellow" variant="light" title={t('tokens.secretWarningTitle')} styles={{ title: { color: '#6b3b00' } }}>
          {t('tokens.secretWarning')}
        </Alert>
        <Code block data-testid="token-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {created.secret}
        </Code>
        <Group justify="space-between">
          <CopyButton value={created.secret}>
            {({ copied, copy }) => (
              <Button color={copied ? 'teal' : undefined} variant={copied ? 'filled' : 'light'} onClick={copy}>
                {copied ? t('tokens.copied') : t('tokens.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={onClose}>
            {t('tokens.secretDone')}
          </Button>
        </Group>
        <Text fz="xs" c="dimmed">
          {t('tokens.secretUsage')}
        </Text>
      </Stack>
    </Modal>
  );
}

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const create = useCreateApiToken();
  const [formError, setFormError] = useState<string>();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', role: 'ANALYST', websiteIds: [] as string[], expiresAt: null as string | null },
    validate: {
      name: (v) => (v.trim() ? null : t('errors.name')),
      expiresAt: (v) => (v && !dayjs(v).isAfter(dayjs()) ? t('errors.expiry') : null),
    },
  });

  function close() {
    form.reset();
    setFormError(undefined);
    create.reset();
    onClose();
  }

  const submit = form.onSubmit((values) => {
    setFormError(undefined);
    create.mutate(
      {
        name: values.name.trim(),
        role: values.role as Role,
        websiteIds: values.websiteIds,
        ...(values.expiresAt ? { expiresAt: dayjs(values.expiresAt).toISOString() } : {}),
      },
      {
        onSuccess: (data) => {
          setCreated({ name: data.createApiToken.token.name, secret: data.createApiToken.secret });
          close();
        },
        onError: (error) => showRefusal(error, ['name', 'role', 'websiteIds', 'expiresAt'], form, setFormError),
      },
    );
  });

  return (
    <>
      <FormModal
        title={t('tokens.createTitle')}
        opened={opened}
        onClose={close}
        onSubmit={submit}
        error={formError}
        submitLabel={t('tokens.create')}
        submitting={create.isPending}
      >
        <TextInput
          label={t('fields.tokenName')}
          description={t('fields.tokenNameHint')}
          required
          data-autofocus
          key={form.key('name')}
          {...form.getInputProps('name')}
        />
        <RoleWebsitesFields form={form} />
        <DateTimePicker
          label={t('fields.expiresAt')}
          description={t('fields.expiresAtHint')}
          clearable
          minDate={dayjs().format('YYYY-MM-DD')}
          key={form.key('expiresAt')}
          {...form.getInputProps('expiresAt')}
        />
      </FormModal>
      {created ? <SecretModal created={created} onClose={() => setCreated(null)} /> : null}
    </>
  );
}
