// The instant a calendar day starts in a time zone (the store's), so the
// audit log's date filters mean the store's days whatever the browser's zone.

function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
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
