// The server's session endpoints (/auth/*): who is signed in, sign in, sign
// out. Plain JSON over fetch with the session cookie (HttpOnly, so the app
// never sees it); the server refuses cookie POSTs without a JSON content type.
import { i18next } from '@/lib/i18n';

/** One website a principal may see. */
export interface ViewerWebsite {
  id: string;
  code: string;
  name: string;
}

/** Who is signed in, as GET /auth/session and POST /auth/sign-in answer. */
export interface Viewer {
  kind: 'USER' | 'TOKEN' | 'SYSTEM';
  name: string;
  email: string;
  /** ANALYST, VIEWER, EDITOR or ADMIN. */
  role: string;
  /** True when not limited to some websites (websites then lists them all). */
  allWebsites?: boolean;
  /** The websites in scope. */
  websites: ViewerWebsite[];
  /**
   * True when an admin chose this user's password: until the user picks a
   * new one, the server answers only the viewer and changePassword.
   */
  mustChangePassword?: boolean;
}

export const AUTH_PATHS = {
  session: '/auth/session',
  signIn: '/auth/sign-in',
  signOut: '/auth/sign-out',
} as const;

/** Why a sign-in did not succeed, in words for the person signing in. */
export class SignInError extends Error {
  /** 'credentials' (401), 'rate-limited' (429) or 'failed' (anything else). */
  readonly reason: 'credentials' | 'rate-limited' | 'failed';
  /** Seconds to wait, from Retry-After, when rate-limited. */
  readonly retryAfter: number | undefined;

  constructor(reason: SignInError['reason'], message: string, retryAfter?: number) {
    super(message);
    this.name = 'SignInError';
    this.reason = reason;
    this.retryAfter = retryAfter;
  }
}

/** A message of the auth catalog in the app's current language (this code runs outside React). */
function t(key: string, options?: Record<string, unknown>): string {
  return i18next.t(`auth:${key}`, options ?? {});
}

const jsonHeaders = { 'Content-Type': 'application/json', Accept: 'application/json' };

function url(path: string): string {
  return new URL(path, window.location.href).toString();
}

/** Seconds from a Retry-After header: delay-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

async function readViewer(response: Response): Promise<Viewer> {
  const body = (await response.json()) as { viewer?: Viewer };
  if (!body.viewer) throw new Error(t('errors.noViewer'));
  return { ...body.viewer, websites: body.viewer.websites ?? [] };
}

/** The signed-in viewer, or null when nobody is signed in (HTTP 401). */
export async function getSession(signal?: AbortSignal): Promise<Viewer | null> {
  const response = await fetch(url(AUTH_PATHS.session), {
    method: 'GET',
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(t('errors.sessionStatus', { status: response.status }));
  return readViewer(response);
}

/** Signs in with email and password; the server sets the session cookie. */
export async function signIn(credentials: { email: string; password: string }): Promise<Viewer> {
  let response: Response;
  try {
    response = await fetch(url(AUTH_PATHS.signIn), {
      method: 'POST',
      headers: jsonHeaders,
      credentials: 'same-origin',
      body: JSON.stringify(credentials),
    });
  } catch {
    throw new SignInError('failed', t('errors.unreachable'));
  }
  if (response.ok) return readViewer(response);
  if (response.status === 401) throw new SignInError('credentials', t('errors.credentials'));
  if (response.status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('Retry-After'));
    const wait = seconds === undefined ? t('errors.aWhile') : t('errors.seconds', { count: seconds });
    throw new SignInError('rate-limited', t('errors.rateLimited', { wait }), seconds);
  }
  // 400 (nothing entered), 403 (a page on another origin) and the like:
  // the server says what went wrong.
  const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const reason =
    typeof body?.error?.message === 'string' ? body.error.message : t('errors.httpStatus', { status: response.status });
  throw new SignInError('failed', t('errors.failed', { reason }).replace(/\.\.$/, '.'));
}

/** Ends the session on the server. */
export async function signOut(): Promise<void> {
  const response = await fetch(url(AUTH_PATHS.signOut), {
    method: 'POST',
    headers: jsonHeaders,
    credentials: 'same-origin',
    body: '{}',
  });
  // 401: the session had already ended, which is what was asked for.
  if (!response.ok && response.status !== 401) {
    throw new Error(t('errors.signOutStatus', { status: response.status }));
  }
}
