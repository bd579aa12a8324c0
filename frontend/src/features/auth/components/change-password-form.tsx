// The change-password form: current password, new password, the new one
// again. Mismatches are caught here; the server's refusals (a wrong current
// password, too short) are read out from a live region.
import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_CHARS, useChangePassword } from '../api/change-password';

/** Changing the password signs in again (see useChangePassword). */
export function ChangePasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword();
  const { t } = useTranslation('auth');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (change.isPending) return;
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ email, current, next });
  }

  const message = mismatch ? t('changePassword.mismatch') : change.error?.message;

  return (
    <form onSubmit={onSubmit} aria-label={t('changePassword.form')}>
      <Stack gap="md">
        {/* The browser's password manager pairs the new password with this account. */}
        <input type="email" name="email" autoComplete="username" value={email} readOnly hidden />
        <PasswordInput
          label={t('changePassword.current')}
          description={t('changePassword.currentHint')}
          name="current-password"
          autoComplete="current-password"
          required
          autoFocus
          value={current}
          onChange={(event) => setCurrent(event.currentTarget.value)}
        />
        <PasswordInput
          label={t('changePassword.new')}
          description={t('changePassword.newHint', { min: MIN_PASSWORD_CHARS })}
          name="new-password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_CHARS}
          value={next}
          onChange={(event) => setNext(event.currentTarget.value)}
        />
        <PasswordInput
          label={t('changePassword.repeat')}
          name="repeat-password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_CHARS}
          value={repeat}
          onChange={(event) => setRepeat(event.currentTarget.value)}
        />
        {/* Always in the page, so screen readers announce what appears in it. */}
        <div aria-live="assertive" aria-atomic="true" data-testid="change-password-message">
          {message ? (
            <Text c="red" fz="sm" fw={500}>
              {message}
            </Text>
          ) : null}
        </div>
        <Button type="submit" loading={change.isPending}>
          {t('changePassword.submit')}
        </Button>
      </Stack>
    </form>
  );
}
