// TanStack Query setup shared by the app and the tests.
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './graphql-client';

export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // An error the server explained (BAD_USER_INPUT, NOT_FOUND, ...) will
        // not go away by asking again; a network hiccup might.
        retry: options.retry === false
          ? false
          : (failureCount, error) =>
              failureCount < 2 &&
              (!(error instanceof ApiError) || error.code === 'NETWORK_ERROR' || error.code === 'HTTP_ERROR'),
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
}
