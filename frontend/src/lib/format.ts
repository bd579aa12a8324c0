// Presentation helpers in the viewer's language: times in the store's time
// zone, counts, dates, country names. They read the current language from
// i18n, so a screen re-rendered after a language switch formats anew.
import { currentLanguage } from './i18n';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function isoParts(date: Date, timeZone: string): Record<string, string> {
  // en-US with h23 gives every part as digits; the layout is ours.
  const format = cached(
    `iso|${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  );
  const parts: Record<string, string> = {};
  for (const part of (format as Intl.DateTimeFormat).formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/**
 * Formats an RFC 3339 time as `YYYY-MM-DD HH:mm:ss` in the given IANA time
 * zone (the store's, from `store { timeZone }`), as the exports do; this
 * layout reads the same in English and Swedish.
 */
export function formatDateTime(value: string | null | undefined, timeZone: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = isoParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The calendar day (`YYYY-MM-DD`) of a time in the given time zone. */
export function formatDate(value: string | null | undefined, timeZone: string): string {
  return formatDateTime(value, timeZone).slice(0, 10);
}

/** A whole number with the language's digit grouping (1,602 or 1 602). */
export function formatCount(value: number): string {
  const language = currentLanguage();
  return (cached(`n|${language}`, () => new Intl.NumberFormat(language)) as Intl.NumberFormat).format(value);
}

/** A country's name in the viewer's language from its ISO 3166-1 alpha-2 code (the code when unknown). */
export function formatCountry(code: string | null | undefined): string {
  if (!code) return '';
  const language = currentLanguage();
  try {
    const names = cached(`c|${language}`, () => new Intl.DisplayNames([language], { type: 'region' }));
    return (names as Intl.DisplayNames).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** How long ago a time was, in words of the viewer's language ("3 hours ago", "för 3 timmar sedan"). */
export function formatRelative(value: string | null | undefined, now: Date = new Date()): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const language = currentLanguage();
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}
