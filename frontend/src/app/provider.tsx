// App-wide providers: Mantine (theme, styles, dates in the viewer's
// language, modals, notifications), i18n, and TanStack Query (server data
// cache), which is emptied as soon as any request finds the session ended.
import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import 'dayjs/locale/sv';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { watchSessionExpiry } from '@/features/auth/api/use-session';
import { i18next } from '@/lib/i18n';
import { createQueryClient } from '@/lib/query-client';
import { cssVariablesResolver, theme } from './theme';

export interface AppProviderProps {
  children: ReactNode;
  /** Tests pass their own client (no retries). */
  queryClient?: QueryClient;
  /** 'test' turns off Mantine's transitions and portals. */
  env?: 'default' | 'test';
}

/** Mantine's date pickers follow the app's language. */
function LocalizedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}

export function AppProvider({ children, queryClient, env = 'default' }: AppProviderProps) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  useEffect(() => watchSessionExpiry(client), [client]);
  return (
    <I18nextProvider i18n={i18next}>
      <MantineProvider env={env} theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <LocalizedDates>
          <QueryClientProvider client={client}>
            <ModalsProvider>
              <Notifications position="top-right" />
              {children}
            </ModalsProvider>
          </QueryClientProvider>
        </LocalizedDates>
      </MantineProvider>
    </I18nextProvider>
  );
}
