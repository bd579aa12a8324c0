// What the viewer's role allows on the report (the server checks it again):
// ANALYST < VIEWER < EDITOR < ADMIN, each including the ones before.
const ranks: Record<string, number> = { ANALYST: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3 };

export interface ReportPermissions {
  /** Customer rows (drill-downs): VIEWER and up. */
  viewCustomers: boolean;
  /** Refresh, create, activate, deactivate, delete: EDITOR and up. */
  edit: boolean;
  /** Overlap counts: every role. */
  compare: boolean;
}

export function permissionsOf(role: string | undefined): ReportPermissions {
  const rank = ranks[role?.toUpperCase() ?? ''] ?? -1;
  return { viewCustomers: rank >= ranks.VIEWER!, edit: rank >= ranks.EDITOR!, compare: rank >= ranks.ANALYST! };
}
