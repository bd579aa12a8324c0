// The roles, weakest first, as the API names them: each includes the ones
// before it. Screens use this to leave out what a role may not do; the
// server checks every request again.
import type { Role } from '@/gql/graphql';

export const ROLES: readonly Role[] = ['ANALYST', 'VIEWER', 'EDITOR', 'ADMIN'];

/** Whether `role` includes `needed` (an unknown or missing role includes nothing). */
export function roleAtLeast(role: string | undefined, needed: Role): boolean {
  const rank = ROLES.indexOf((role?.toUpperCase() ?? '') as Role);
  return rank >= 0 && rank >= ROLES.indexOf(needed);
}
