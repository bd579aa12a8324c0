// The frame around every screen: the app's header and the page below it.
import { Anchor, AppShell, Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, Outlet } from 'react-router';
import { paths } from '@/config/paths';

export interface AppLayoutProps {
  /** The header's account corner (who is signed in, Sign out). */
  account?: ReactNode;
}

export function AppLayout({ account }: AppLayoutProps) {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Anchor component={Link} to={paths.segments} underline="never" c="inherit">
            <Title order={4}>Segments</Title>
          </Anchor>
          <Group gap="md">
            <Anchor component={Link} to={paths.segments} fz="sm">
              Customer Segments Report
            </Anchor>
            {/* GraphiQL is a separate page served by the Go server. */}
            <Anchor href={paths.graphiql} fz="sm">
              GraphiQL
            </Anchor>
            {account}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
