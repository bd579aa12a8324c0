// Where to go after signing in: the ?next= of the sign-in page. Only a path
// on this origin is followed, never an absolute or protocol-relative URL,
// so a crafted sign-in link cannot send the user to another site.
import { paths } from '@/config/paths';

/** The query parameter of the sign-in page that carries the destination. */
export const NEXT_PARAM = 'next';

/**
 * The destination `raw` names when it is a same-origin relative path
 * ("/segments?sort=NAME"), normalised; otherwise the report. Browsers read
 * "//host", "/\host" and paths with tabs or newlines as other hosts, so the
 * path is resolved the way a browser would and its origin compared.
 */
export function safeNextPath(raw: string | null | undefined, origin = window.location.origin): string {
  const fallback = paths.segments;
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const next = `${url.pathname}${url.search}${url.hash}`;
  // Signing in again is not a destination.
  if (url.pathname === paths.signIn) return fallback;
  return next;
}

/** The sign-in page's URL that comes back to `path` afterwards. */
export function signInPath(path?: string): string {
  if (!path || path === paths.home || path === paths.segments) return paths.signIn;
  return `${paths.signIn}?${new URLSearchParams({ [NEXT_PARAM]: path }).toString()}`;
}

/**
 * Whether `path` is a page the Go server serves by itself (GraphiQL), which
 * needs a full page load rather than a client-side route change.
 */
export function isServerPage(path: string): boolean {
  const pathname = new URL(path, 'http://localhost').pathname;
  return pathname === paths.graphiql;
}
