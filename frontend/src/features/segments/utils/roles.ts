// What the viewer's role allows on the report (the server checks it again).
import { roleAtLeast } from '@/lib/roles';

export interface ReportPermissions {
  /** Customer rows (drill-downs): VIEWER and up. */
  viewCustomers: boolean;
  /** Refresh, create, activate, deactivate, delete: EDITOR and up. */
  edit: boolean;
  /** Overlap counts: every role. */
  compare: boolean;
}

export function permissionsOf(role: string | undefined): ReportPermissions {
  return {
    viewCustomers: roleAtLeast(role, 'VIEWER'),
    edit: roleAtLeast(role, 'EDITOR'),
    compare: roleAtLeast(role, 'ANALYST'),
  };
}
