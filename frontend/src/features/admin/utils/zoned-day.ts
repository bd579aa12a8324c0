// The instant a calendar day starts in a time zone (the store's), so the
// audit log's date filters mean the store's days whatever the browser's zone.
import { formatDateTime } from '@/lib/format';

/** The wall-clock time in `timeZone` at `instant`, read as if it were UTC. */
function wallClockAsUtc(instant: number, timeZone: string): number {
  return Date.parse(`${formatDateTime(new Date(instant).toISOString(), timeZone).replace(' ', 'T')}Z`);
}

/** RFC 3339 time of 00:00 on `day` (YYYY-MM-DD) in `timeZone`, plus `addDays`. */
export function startOfDay(day: string, timeZone: string, addDays = 0): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  const wanted = Date.UTC(y, m - 1, d + addDays);
  let instant = wanted;
  // Twice, in case the first guess lies across a daylight-saving change.
  for (let i = 0; i < 2; i++) instant = wanted - (wallClockAsUtc(instant, timeZone) - instant);
  return new Date(instant).toISOString();
}
