// The header's account corner: who is signed in, with which role and
// websites, and Sign out (which forgets every cached answer).
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { useSignOut } from '../api/use-session';
import { describeViewer } from '../utils/describe-viewer';
import { useViewer } from './session-gate';

export function ViewerMenu() {
  const viewer = useViewer();
  const signOut = useSignOut();
  const navigate = useNavigate();
  // Re-rendered on a language switch, so the line below follows it.
  const { t } = useTranslation('auth');

  async function onSignOut() {
    try {
      await signOut.mutateAsync();
    } catch {
      return; // shown below the button
    }
    await navigate(paths.signIn, { replace: true });
  }

  return (
    <Group gap="sm" wrap="nowrap">
      {/* Cut short on narrow screens (the whole line is its title), so Sign out stays in view. */}
      <Text fz="sm" data-testid="signed-in-as" truncate="end" maw={{ base: 140, md: 260, xl: 420 }} title={describeViewer(viewer)}>
        {describeViewer(viewer)}
      </Text>
      <Button size="xs" variant="default" loading={signOut.isPending} onClick={() => void onSignOut()}>
        {t('viewer.signOut')}
      </Button>
      {signOut.error ? (
        <Text fz="xs" c="red" role="alert">
          {signOut.error.message}
        </Text>
      ) : null}
    </Group>
  );
}
