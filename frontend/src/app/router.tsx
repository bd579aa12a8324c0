// Client routes. `routes` is shared with the tests, which mount it in a memory router.
import { Anchor, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, isRouteErrorResponse, Link, useRouteError, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppLayout } from '@/components/layout/app-layout';
import { paths } from '@/config/paths';
import { SessionGate, useViewer } from '@/features/auth/components/session-gate';
import { ViewerMenu } from '@/features/auth/components/viewer-menu';
import { HomeRedirect } from '@/features/auth/routes/home-redirect';
import { SignInPage } from '@/features/auth/routes/sign-in-page';
import { SegmentCustomersPage } from '@/features/segment-customers/routes/segment-customers-page';
import { SegmentsPage } from '@/features/segments/routes/segments-page';

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Title order={1}>{t('notFound.title')}</Title>
      <Anchor component={Link} to={paths.segments}>
        {t('notFound.backToReport')}
      </Anchor>
    </Stack>
  );
}

function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Stack gap="sm" p="md">
      <Title order={1}>{t('routeError.title')}</Title>
      <Text>{message}</Text>
      <Anchor href={paths.segments}>{t('routeError.reload')}</Anchor>
    </Stack>
  );
}

/** The frame of a signed-in viewer's screens; admins also get Administration in the header. */
function SignedInLayout() {
  const viewer = useViewer();
  const { t } = useTranslation('admin');
  const nav = viewer.role === 'ADMIN' ? [{ to: paths.adminUsers, label: t('nav') }] : [];
  return <AppLayout account={<ViewerMenu />} nav={nav} />;
}

/** Shown while a lazily loaded screen's code arrives. */
function ScreenLoading() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('grid.loading')} />
    </Center>
  );
}

export const routes: RouteObject[] = [
  { path: paths.signIn, element: <SignInPage />, errorElement: <RouteError /> },
  {
    // Every other screen only for a signed-in viewer.
    element: <SessionGate />,
    errorElement: <RouteError />,
    children: [
      {
        element: <SignedInLayout />,
        children: [
          { path: paths.home, element: <HomeRedirect /> },
          { path: paths.segments, element: <SegmentsPage /> },
          { path: paths.segmentCustomersPattern, element: <SegmentCustomersPage /> },
          {
            path: paths.segmentOverlapPattern,
            HydrateFallback: ScreenLoading,
            lazy: async () => ({ Component: (await import('@/features/insights/routes/segment-overlap-page')).default }),
          },
          {
            path: '/admin',
            HydrateFallback: ScreenLoading,
            lazy: async () => ({ Component: (await import('@/features/admin/routes/admin-layout')).default }),
            children: [
              { path: paths.adminUsers, lazy: async () => ({ Component: (await import('@/features/admin/routes/users-page')).default }) },
              { path: paths.adminTokens, lazy: async () => ({ Component: (await import('@/features/admin/routes/tokens-page')).default }) },
              { path: paths.adminAudit, lazy: async () => ({ Component: (await import('@/features/admin/routes/audit-page')).default }) },
            ],
          },
          // The segment editor and page: loaded on first visit (forms, dates, charts).
          {
            path: paths.segmentNew,
            HydrateFallback: ScreenLoading,
            lazy: async () => ({ Component: (await import('@/features/segment-editor/routes/segment-editor-page')).SegmentEditorPage }),
          },
          {
            path: paths.segmentEditPattern,
            HydrateFallback: ScreenLoading,
            lazy: async () => ({ Component: (await import('@/features/segment-editor/routes/segment-editor-page')).SegmentEditorPage }),
          },
          {
            path: paths.segmentPattern,
            HydrateFallback: ScreenLoading,
            lazy: async () => ({ Component: (await import('@/features/segment-editor/routes/segment-page')).SegmentPage }),
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
];

export function AppRouter() {
  const router = useMemo(() => createBrowserRouter(routes), []);
  return <RouterProvider router={router} />;
}
