// What the viewer's role lets them do on the segment screens (the server
// checks again; buttons a role may not use are simply not offered).
import type { Viewer } from '@/features/auth/api/session';
import { roleAtLeast } from '@/lib/roles';

/** Whether the viewer may create, change, refresh and delete segments (EDITOR or ADMIN). */
export function canEdit(viewer: Viewer): boolean {
  return roleAtLeast(viewer.role, 'EDITOR');
}
