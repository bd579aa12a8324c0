// What the viewer's role lets the drill-down show: an ANALYST sees counts
// only (no customer rows), a VIEWER also rows, an EDITOR or ADMIN also exports.
const rank: Record<string, number> = { ANALYST: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3 };

function atLeast(role: string | undefined, needed: keyof typeof rank): boolean {
  return role !== undefined && (rank[role] ?? -1) >= rank[needed]!;
}

/** True when the role may list customers (segmentCustomers nodes). */
export const canSeeCustomers = (role: string | undefined) => atLeast(role, 'VIEWER');

/** True when the role may export customers (exportSegmentCustomers). */
export const canExport = (role: string | undefined) => atLeast(role, 'EDITOR');
