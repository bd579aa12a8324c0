// The session in TanStack Query's cache: one query (GET /auth/session, asked
// once per page load), the sign-in and sign-out mutations, and what the app
// forgets when a session is over.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/graphql-client';
import { getSession, signIn, signOut, type Viewer } from './session';

export const sessionKeys = {
  /** The signed-in viewer, or null when signed out. */
  session: ['auth', 'session'] as const,
};

/** The session check; data is the viewer or null. */
export function useSession() {
  return useQuery({
    queryKey: sessionKeys.session,
    queryFn: ({ signal }) => getSession(signal),
    // Asked once: a session that ends later shows up as a 401 from /graphql.
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
}

const notSession = (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== sessionKeys.session[0];

/**
 * Forgets every cached answer (customer rows included) and every mutation,
 * keeping only the session. Called where no screen of the report is mounted
 * (the sign-in page): a mounted screen would fetch again what it lost.
 */
export function forgetCachedData(client: QueryClient) {
  client.removeQueries({ predicate: notSession });
  client.getMutationCache().clear();
}

/**
 * Records that nobody is signed in, which sends every screen to sign-in,
 * and drops what no screen shows; the sign-in page forgets the rest.
 */
export function endSession(client: QueryClient) {
  void client.cancelQueries({ predicate: notSession });
  client.setQueryData<Viewer | null>(sessionKeys.session, null);
  client.removeQueries({ type: 'inactive', predicate: notSession });
}

/** A GraphQL request refused because the session ended (HTTP 401). */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHENTICATED';
}

/**
 * Ends the session in the app as soon as any query or mutation comes back
 * UNAUTHENTICATED (the session expired, or the user was disabled or changed).
 * Returns the unsubscribe function.
 */
export function watchSessionExpiry(client: QueryClient): () => void {
  let ending = false;
  const end = (error: unknown) => {
    if (ending || !isUnauthenticated(error)) return;
    ending = true;
    // Not inside the cache's own notification.
    queueMicrotask(() => {
      ending = false;
      endSession(client);
    });
  };
  const offQueries = client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error') end(event.action.error);
  });
  const offMutations = client.getMutationCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error') end(event.action.error);
  });
  return () => {
    offQueries();
    offMutations();
  };
}

/** Makes a new session's viewer the session, without asking again. */
export function beginSession(client: QueryClient, viewer: Viewer) {
  // Nothing cached belongs to the new session but the viewer itself.
  forgetCachedData(client);
  client.setQueryData<Viewer | null>(sessionKeys.session, viewer);
}

/** Signs in; on success the viewer is the session, without asking again. */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: (viewer) => beginSession(client, viewer),
  });
}

/** Signs out on the server, then ends the session in the app. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => endSession(client),
  });
}
