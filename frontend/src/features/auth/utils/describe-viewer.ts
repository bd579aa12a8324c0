// The words of the header's "Signed in as …" line, in the app's language.
import { i18next } from '@/lib/i18n';
import type { Viewer } from '../api/session';

/** "EDITOR" → "Editor" (in Swedish "Redaktör"). */
export function roleLabel(role: string): string {
  return i18next.t(`auth:viewer.roles.${role}`, {
    defaultValue: role.charAt(0).toUpperCase() + role.slice(1).toLowerCase(),
  });
}

/** "Signed in as ann@example.com (Editor, websites: Main Website, Nordic Store)". */
export function describeViewer(viewer: Viewer): string {
  const who = viewer.email || viewer.name;
  // The server lists every website for an unlimited viewer and says so in
  // allWebsites; without that flag an empty list means no limit.
  const all = viewer.allWebsites ?? viewer.websites.length === 0;
  const websites = all
    ? i18next.t('auth:viewer.allWebsites')
    : viewer.websites.length === 0
      ? i18next.t('auth:viewer.noWebsites')
      : i18next.t('auth:viewer.websites', { names: viewer.websites.map((w) => w.name).join(', ') });
  return i18next.t('auth:viewer.signedInAs', { who, role: roleLabel(viewer.role), websites });
}
