// What the viewer's role lets the drill-down show: an ANALYST sees counts
// only (no customer rows), a VIEWER also rows, an EDITOR or ADMIN also exports.
import { roleAtLeast } from '@/lib/roles';

/** True when the role may list customers (segmentCustomers nodes). */
export const canSeeCustomers = (role: string | undefined) => roleAtLeast(role, 'VIEWER');

/** True when the role may export customers (exportSegmentCustomers). */
export const canExport = (role: string | undefined) => roleAtLeast(role, 'EDITOR');
