// The words of the header's "Signed in as …" line.
import type { Viewer } from '../api/session';

/** "EDITOR" → "Editor". */
export function roleLabel(role: string): string {
  const lower = role.toLowerCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** "Signed in as ann@example.com (Editor, websites: Main Website, Nordic Store)". */
export function describeViewer(viewer: Viewer): string {
  const who = viewer.email || viewer.name;
  // The server lists every website for an unlimited viewer and says so in
  // allWebsites; without that flag an empty list means no limit.
  const all = viewer.allWebsites ?? viewer.websites.length === 0;
  const websites = all
    ? 'all websites'
    : viewer.websites.length === 0
      ? 'no websites'
      : `websites: ${viewer.websites.map((w) => w.name).join(', ')}`;
  return `Signed in as ${who} (${roleLabel(viewer.role)}, ${websites})`;
}
