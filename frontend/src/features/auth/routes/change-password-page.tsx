// Screen: choose a new password. A user whose password an admin set sees
// only this (the session gate shows it instead of the report) until they
// pick their own; the server refuses everything else meanwhile.
import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Viewer } from '../api/session';
import { useSignOut } from '../api/use-session';
import { ChangePasswordForm } from '../components/change-password-form';

export function ChangePasswordPage({ viewer }: { viewer: Viewer }) {
  const signOut = useSignOut();
  const { t } = useTranslation('auth');
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1} fz="h2">
              {t('changePassword.title')}
            </Title>
            <Text c="dimmed" fz="sm">
              {t('changePassword.intro', { email: viewer.email })}
            </Text>
          </Stack>
          {/* Once changed, the new session's viewer is not flagged and the gate shows the report. */}
          <ChangePasswordForm email={viewer.email} />
          <Button variant="subtle" size="compact-sm" loading={signOut.isPending} onClick={() => signOut.mutate()}>
            {t('viewer.signOut')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
