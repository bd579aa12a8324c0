// The frame around every screen: a compact header (the app's name, its
// sections, language, who is signed in) and the page below it. Each page
// renders its own h1; "Skip to content" lets keyboard users pass the header.
import { Anchor, AppShell, Box, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { paths } from '@/config/paths';
import { LanguageSwitch } from './language-switch';

/** A section of the app in the header's navigation. */
export interface NavItem {
  to: string;
  label: string;
}

export interface AppLayoutProps {
  /** The header's account corner (who is signed in, Sign out). */
  account?: ReactNode;
  /** Sections beyond the report (e.g. Administration for admins). */
  nav?: NavItem[];
}

export function AppLayout({ account, nav = [] }: AppLayoutProps) {
  const { t } = useTranslation();
  const items: NavItem[] = [{ to: paths.segments, label: t('app.nav.report') }, ...nav];
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header>
        <Anchor href="#main" className="skip-link">
          {t('app.skipToContent')}
        </Anchor>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="md" wrap="nowrap" miw={0}>
            <Anchor component={Link} to={paths.segments} underline="never" c="inherit">
              <Text fw={700} fz="lg" component="span">
                {t('app.name')}
              </Text>
            </Anchor>
            <Box component="nav" aria-label={t('app.mainNavigation')}>
              <Group gap="sm" wrap="nowrap">
                {items.map((item) => (
                  <Anchor key={item.to} component={NavLink} to={item.to} fz="sm" end={false}>
                    {item.label}
                  </Anchor>
                ))}
                {/* GraphiQL is a separate page served by the Go server. */}
                <Anchor href={paths.graphiql} fz="sm" visibleFrom="md">
                  {t('app.nav.graphiql')}
                </Anchor>
              </Group>
            </Box>
          </Group>
          <Group gap="sm" wrap="nowrap" miw={0}>
            <LanguageSwitch />
            {account}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
