// The roles, weakest first, as the API names them.
import type { Role } from '@/gql/graphql';

export const ROLES: readonly Role[] = ['ANALYST', 'VIEWER', 'EDITOR', 'ADMIN'];

/** What the server checks too, so the form says it before sending. */
export const MIN_PASSWORD_CHARS = 12;

/** A plausible email address (the server decides for certain). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
