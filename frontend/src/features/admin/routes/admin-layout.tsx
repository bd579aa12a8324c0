// The administration section (/admin/*): for admins, a sub-navigation
// between users, API tokens and the audit log above the page; anyone else
// gets a plain "not allowed" page (the server refuses them anyway).
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { paths } from '@/config/paths';
import { useViewer } from '@/features/auth/components/session-gate';

export function NotAllowed() {
  const { t } = useTranslation('admin');
  return (
    <Stack gap="sm">
      <Title order={1}>{t('notAllowed.title')}</Title>
      <Text>{t('notAllowed.body')}</Text>
      <Text>
        <Link to={paths.segments}>{t('notAllowed.back')}</Link>
      </Text>
    </Stack>
  );
}

const sections = [
  { to: paths.adminUsers, key: 'users' },
  { to: paths.adminTokens, key: 'tokens' },
  { to: paths.adminAudit, key: 'audit' },
] as const;

export function AdminLayout() {
  const { t } = useTranslation('admin');
  const viewer = useViewer();
  const location = useLocation();
  if (viewer.role !== 'ADMIN') return <NotAllowed />;
  if (location.pathname.replace(/\/$/, '') === '/admin') return <Navigate to={paths.adminUsers} replace />;
  return (
    <Stack gap="md">
      <nav aria-label={t('nav')}>
        <Group gap="xs">
          {sections.map((s) => {
            const active = location.pathname.startsWith(s.to);
            return (
              <Button
                key={s.key}
                component={NavLink}
                to={s.to}
                size="xs"
                variant={active ? 'filled' : 'default'}
                aria-current={active ? 'page' : undefined}
              >
                {t(`sections.${s.key}`)}
              </Button>
            );
          })}
        </Group>
      </nav>
      <Outlet />
    </Stack>
  );
}

export default AdminLayout;
