// The sign-in form: email, password, Sign in. Refusals (wrong email or
// password, too many attempts, server unreachable) are read out from a
// live region; the password is cleared after a refusal.
import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSignIn } from '../api/use-session';

/** Signing in makes the answer's viewer the session (see useSignIn). */
export function SignInForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const passwordRef = useRef<HTMLInputElement>(null);
  const signIn = useSignIn();
  const { t } = useTranslation('auth');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (signIn.isPending) return;
    signIn.mutate(
      { email: email.trim(), password },
      {
        onError: () => {
          setPassword('');
          passwordRef.current?.focus();
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} aria-label={t('signIn.form')}>
      <Stack gap="md">
        <TextInput
          label={t('signIn.email')}
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
        />
        <PasswordInput
          ref={passwordRef}
          label={t('signIn.password')}
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
        />
        {/* Always in the page, so screen readers announce what appears in it. */}
        <div aria-live="assertive" aria-atomic="true" data-testid="sign-in-message">
          {signIn.error ? (
            <Text c="red" fz="sm" fw={500}>
              {signIn.error.message}
            </Text>
          ) : null}
        </div>
        <Button type="submit" loading={signIn.isPending}>
          {t('signIn.submit')}
        </Button>
      </Stack>
    </form>
  );
}
