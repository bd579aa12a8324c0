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
  const websites =
    viewer.websites.length === 0 ? 'all websites' : `websites: ${viewer.websites.map((w) => w.name).join(', ')}`;
  return `Signed in as ${who} (${roleLabel(viewer.role)}, ${websites})`;
}
