// Where "Back" goes: the report as the viewer left it (its selection,
// filters and page), which the report screen remembers in sessionStorage.
import { paths } from '@/config/paths';

/** The sessionStorage key under which the report keeps its last URL (path and search). */
export const REPORT_LAST_URL_KEY = 'segments.report.lastUrl';

/** The report's last URL when it is a path of this app, else the report itself. */
export function reportUrl(): string {
  let saved: string | null = null;
  try {
    saved = sessionStorage.getItem(REPORT_LAST_URL_KEY);
  } catch {
    /* storage unavailable */
  }
  // Only a path of this site: never another origin ("//host" or "https:").
  return saved && saved.startsWith('/') && !saved.startsWith('//') && !saved.startsWith('/\\') ? saved : paths.segments;
}
