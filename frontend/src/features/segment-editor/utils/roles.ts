// What the viewer's role lets them do on the segment screens (the server
// checks again; buttons a role may not use are simply not offered).
import type { Viewer } from '@/features/auth/api/session';

const rank: Record<string, number> = { ANALYST: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3 };

/** Whether the viewer may create, change, refresh and delete segments (EDITOR or ADMIN). */
export function canEdit(viewer: Viewer): boolean {
  return (rank[viewer.role] ?? -1) >= rank.EDITOR!;
}
