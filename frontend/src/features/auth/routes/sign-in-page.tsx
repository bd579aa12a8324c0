// Screen: sign in (/sign-in?next=PATH). After signing in, the user goes to
// PATH when it is a path on this site (GraphiQL, a server page, by a full
// page load), otherwise to the report; a visitor already signed in goes
// there at once.
import { Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { LanguageSwitch } from '@/components/layout/language-switch';
import { forgetCachedData, useSession } from '../api/use-session';
import { SignInForm } from '../components/sign-in-form';
import { isServerPage, NEXT_PARAM, safeNextPath } from '../utils/next-path';
import { ServerPageRedirect } from './home-redirect';

export function SignInPage() {
  const [searchParams] = useSearchParams();
  const session = useSession();
  const client = useQueryClient();
  const { t } = useTranslation('auth');
  // Whoever signed out or whose session ended, nothing of theirs stays in
  // memory once the report's screens are gone (this page replaced them).
  useEffect(() => forgetCachedData(client), [client]);
  const next = safeNextPath(searchParams.get(NEXT_PARAM));

  let body;
  if (session.isPending) {
    body = <Loader aria-label={t('session.checking')} />;
  } else if (session.data) {
    body = isServerPage(next) ? <ServerPageRedirect to={next} /> : <Navigate to={next} replace />;
  } else {
    body = (
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={380}>
        <Stack gap="lg">
          <Group justify="flex-end">
            <LanguageSwitch />
          </Group>
          <Stack gap={4}>
            <Title order={1} fz="h2">
              {t('signIn.title')}
            </Title>
            <Text c="dimmed" fz="sm">
              {t('signIn.subtitle')}
            </Text>
          </Stack>
          {session.error ? <ErrorAlert error={session.error} title={t('session.cannotCheck')} /> : null}
          {/* Once signed in, the session has a viewer and the page moves on (above). */}
          <SignInForm />
        </Stack>
      </Paper>
    );
  }

  return (
    <Center mih="100vh" p="md">
      {body}
    </Center>
  );
}
