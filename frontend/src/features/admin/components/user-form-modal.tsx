// The create-user and change-user forms, each in a modal. Checked here first
// (email, password length); the server's refusals are shown at the field
// they are about.
import { Checkbox, PasswordInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '@/gql/graphql';
import { useCreateUser, useUpdateUser } from '../api/admin';
import { useNotify } from '../hooks/use-notify';
import { showRefusal } from '../utils/field-errors';
import { FormModal } from './form-modal';
import { looksLikeEmail, MIN_PASSWORD_CHARS } from '../utils/roles';
import { RoleWebsitesFields } from './role-websites-fields';

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const create = useCreateUser();
  const notify = useNotify();
  const [formError, setFormError] = useState<string>();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '', role: 'ANALYST', websiteIds: [] as string[] },
    validate: {
      email: (v) => (looksLikeEmail(v) ? null : t('errors.email')),
      password: (v) => ([...v].length >= MIN_PASSWORD_CHARS ? null : t('errors.password', { min: MIN_PASSWORD_CHARS })),
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
      { email: values.email.trim(), password: values.password, role: values.role as Role, websiteIds: values.websiteIds },
      {
        onSuccess: (data) => {
          notify.done(t('users.created', { email: data.createUser.email }));
          close();
        },
        onError: (error) => showRefusal(error, ['email', 'password', 'role', 'websiteIds'], form, setFormError),
      },
    );
  });

  return (
    <FormModal
      title={t('users.createTitle')}
      opened={opened}
      onClose={close}
      onSubmit={submit}
      error={formError}
      submitLabel={t('users.create')}
      submitting={create.isPending}
    >
      <TextInput
        label={t('fields.email')}
        type="email"
        required
        data-autofocus
        autoComplete="off"
        key={form.key('email')}
        {...form.getInputProps('email')}
      />
      <PasswordInput
        label={t('fields.initialPassword')}
        description={t('fields.initialPasswordHint', { min: MIN_PASSWORD_CHARS })}
        required
        autoComplete="new-password"
        key={form.key('password')}
        {...form.getInputProps('password')}
      />
      <RoleWebsitesFields form={form} />
    </FormModal>
  );
}

export interface EditableUser {
  id: string;
  email: string;
  role: Role;
  websites: { id: string }[];
  disabled: boolean;
}

export function EditUserModal({ user, onClose }: { user: EditableUser; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const update = useUpdateUser();
  const notify = useNotify();
  const [formError, setFormError] = useState<string>();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: {
      role: user.role as string,
      websiteIds: user.websites.map((w) => w.id),
      resetPassword: false,
      password: '',
    },
    validate: {
      password: (v, values) =>
        !values.resetPassword || [...v].length >= MIN_PASSWORD_CHARS ? null : t('errors.password', { min: MIN_PASSWORD_CHARS }),
    },
  });
  form.watch('resetPassword', () => {});

  const submit = form.onSubmit((values) => {
    setFormError(undefined);
    update.mutate(
      {
        id: user.id,
        input: {
          role: values.role as Role,
          websiteIds: values.websiteIds,
          ...(values.resetPassword ? { password: values.password } : {}),
        },
      },
      {
        onSuccess: () => {
          notify.done(t('users.updated', { email: user.email }));
          onClose();
        },
        onError: (error) => showRefusal(error, ['password', 'role', 'websiteIds'], form, setFormError),
      },
    );
  });

  return (
    <FormModal
      title={t('users.editTitle', { email: user.email })}
      opened
      onClose={onClose}
      onSubmit={submit}
      error={formError}
      submitLabel={t('save')}
      submitting={update.isPending}
    >
      <RoleWebsitesFields form={form} />
      <Checkbox
        label={t('fields.resetPassword')}
        key={form.key('resetPassword')}
        {...form.getInputProps('resetPassword', { type: 'checkbox' })}
      />
      {form.getValues().resetPassword ? (
        <PasswordInput
          label={t('fields.newPassword')}
          description={t('fields.initialPasswordHint', { min: MIN_PASSWORD_CHARS })}
          required
          autoComplete="new-password"
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
      ) : null}
    </FormModal>
  );
}
