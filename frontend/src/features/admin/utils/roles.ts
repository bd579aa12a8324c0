// The admin forms' checks: what the server checks too, said before sending.
export { ROLES } from '@/lib/roles';

/** What the server checks too, so the form says it before sending. */
export const MIN_PASSWORD_CHARS = 12;

/** A plausible email address (the server decides for certain). */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}
