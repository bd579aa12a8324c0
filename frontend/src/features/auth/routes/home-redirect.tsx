// The app's home (/): the report, or the page named by ?next= — the server
// sends a browser that opens GraphiQL without a session to /?next=/graphiql,
// and the session gate has had it sign in on the way here.
import { Loader } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { isServerPage, NEXT_PARAM, safeNextPath } from '../utils/next-path';

export function ServerPageRedirect({ to }: { to: string }) {
  const { t } = useTranslation('auth');
  useEffect(() => {
    window.location.assign(to);
  }, [to]);
  return <Loader aria-label={t('session.opening')} />;
}

export function HomeRedirect() {
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get(NEXT_PARAM));
  return isServerPage(next) ? <ServerPageRedirect to={next} /> : <Navigate to={next} replace />;
}
