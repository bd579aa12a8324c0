// The gate in front of every screen of the app: nothing of the report is
// rendered until GET /auth/session has said who is signed in; nobody signed
// in (or a session that ended) goes to sign-in, which comes back here after.
import { Button, Center, Loader, Stack } from '@mantine/core';
import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { paths } from '@/config/paths';
import type { Viewer } from '../api/session';
import { useSession } from '../api/use-session';
import { ChangePasswordPage } from '../routes/change-password-page';
import { NEXT_PARAM, safeNextPath, signInPath } from '../utils/next-path';

const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in viewer; only inside the SessionGate. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer is used outside the SessionGate');
  return viewer;
}

export function SessionGate() {
  const session = useSession();
  const location = useLocation();
  const { t } = useTranslation('auth');

  if (session.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('session.checking')} />
      </Center>
    );
  }
  if (session.error) {
    return (
      <Center mih="100vh" p="md">
        <Stack gap="sm" maw={480}>
          <ErrorAlert error={session.error} title={t('session.cannotCheck')} />
          <Button variant="light" onClick={() => void session.refetch()}>
            {t('session.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    // The server's own redirect (/?next=/graphiql) names the destination.
    const next = new URLSearchParams(location.search).get(NEXT_PARAM);
    const target =
      location.pathname === paths.home && next !== null
        ? safeNextPath(next)
        : `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={signInPath(target)} replace />;
  }
  if (session.data.mustChangePassword) {
    // The server answers nothing else until the user picks a password.
    return <ChangePasswordPage viewer={session.data} />;
  }
  return (
    <ViewerContext.Provider value={session.data}>
      <Outlet />
    </ViewerContext.Provider>
  );
}
