// App-wide providers: Mantine (theme, styles) and TanStack Query (server data
// cache), which is emptied as soon as any request finds the session ended.
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { watchSessionExpiry } from '@/features/auth/api/use-session';
import { createQueryClient } from '@/lib/query-client';

export interface AppProviderProps {
  children: ReactNode;
  /** Tests pass their own client (no retries). */
  queryClient?: QueryClient;
  /** 'test' turns off Mantine's transitions and portals. */
  env?: 'default' | 'test';
}

export function AppProvider({ children, queryClient, env = 'default' }: AppProviderProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  useEffect(() => watchSessionExpiry(client), [client]);
  return (
    <MantineProvider env={env}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
