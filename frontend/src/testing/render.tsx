// Renders the real app routes at a URL, in a memory router, for component tests.
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProvider } from '@/app/provider';
import { routes } from '@/app/router';
import { createQueryClient } from '@/lib/query-client';

export function renderRoute(url: string) {
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const user = userEvent.setup();
  const queryClient = createQueryClient({ retry: false });
  const result = render(
    <AppProvider env="test" queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  /** The current path with its search, e.g. /segments/3/customers?mode=union. */
  const location = () => `${router.state.location.pathname}${router.state.location.search}`;
  return { ...result, router, user, location, queryClient };
}
