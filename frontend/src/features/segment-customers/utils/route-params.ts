// The drill-down's address, read and written: /segments/:ids/customers
// ?mode=union|intersection&exclude=<ids>&name=…&email=…&phone=…&zip=…
// &region=…&group=<id>&country=<code>&website=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD
// (plus the grid's sort, page size and page). Everything a screen shows is in
// it, so a reload or a pasted link shows the same customers.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { SetMode } from '@/config/paths';
import type { CustomerFilter, SegmentSetMode } from '@/gql/graphql';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Segments a combined drill-down (and its exclusions) takes at most, as the API does. */
export const MAX_DRILLDOWN_SEGMENTS = 100;

/** What is wrong with an address: a message key of the feature's catalog and its values. */
export interface AddressProblem {
  key: string;
  values?: Record<string, string | number>;
}

export interface DrillDownTarget {
  /** Distinct segment ids in the order written. */
  ids: string[];
  mode: SegmentSetMode;
  /** Distinct ids of segments whose customers are left out (exclude=). */
  exclude: string[];
  /** What is wrong with the URL, if anything (then ids and exclude are empty). */
  problem: AddressProblem | null;
}

function idList(raw: string | null | undefined): string[] {
  const parts = (raw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return [...new Set(parts)];
}

/** Reads the segments, the mode and the exclusions of the address. */
export function parseDrillDown(rawIds: string | undefined, search: URLSearchParams): DrillDownTarget {
  const ids = idList(rawIds);
  const exclude = idList(search.get('exclude'));
  const rawMode = search.get('mode');
  const mode: SetMode | null =
    rawMode === null || rawMode === '' || rawMode.toLowerCase() === 'union'
      ? 'union'
      : rawMode.toLowerCase() === 'intersection'
        ? 'intersection'
        : null;

  let problem: AddressProblem | null = null;
  const bad = [...ids, ...exclude].filter((id) => !/^\d+$/.test(id));
  const both = exclude.filter((id) => ids.includes(id));
  if (ids.length === 0) problem = { key: 'address.noIds' };
  else if (bad.length > 0) problem = { key: 'address.badId', values: { ids: bad.join(', ') } };
  else if (mode === null) problem = { key: 'address.badMode', values: { mode: rawMode ?? '' } };
  else if (ids.length > MAX_DRILLDOWN_SEGMENTS || exclude.length > MAX_DRILLDOWN_SEGMENTS)
    problem = { key: 'address.tooMany', values: { max: MAX_DRILLDOWN_SEGMENTS } };
  else if (both.length > 0) problem = { key: 'address.includedAndExcluded', values: { ids: both.join(', ') } };

  return {
    ids: problem ? [] : ids,
    mode: mode === 'intersection' ? 'INTERSECTION' : 'UNION',
    exclude: problem ? [] : exclude,
    problem,
  };
}

/** The drill-down's filter row as written in the address ('' / null: not filtered). */
export interface CustomerFilterState {
  name: string;
  email: string;
  phone: string;
  zip: string;
  region: string;
  groupId: string | null;
  countryCode: string | null;
  websiteId: string | null;
  /** Customer since, first day (YYYY-MM-DD in the store's time zone). */
  from: string | null;
  /** Customer since, last day (YYYY-MM-DD in the store's time zone). */
  to: string | null;
}

export const TEXT_FILTERS = ['name', 'email', 'phone', 'zip', 'region'] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

/** Filter fields and the search parameter each is written to. */
const PARAMS: Record<keyof CustomerFilterState, string> = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  zip: 'zip',
  region: 'region',
  groupId: 'group',
  countryCode: 'country',
  websiteId: 'website',
  from: 'from',
  to: 'to',
};

/** Every search parameter of the filter row (a change of any goes back to page 1). */
export const FILTER_PARAMS: readonly string[] = Object.values(PARAMS);

export const emptyFilters: CustomerFilterState = {
  name: '',
  email: '',
  phone: '',
  zip: '',
  region: '',
  groupId: null,
  countryCode: null,
  websiteId: null,
  from: null,
  to: null,
};

const isDay = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value).format('YYYY-MM-DD') === value;
const isId = (value: string | null): value is string => value !== null && /^\d+$/.test(value);

/** The filter row as the address holds it; malformed values are ignored. */
export function readFilters(search: URLSearchParams): CustomerFilterState {
  const text = (key: TextFilter) => (search.get(PARAMS[key]) ?? '').trim();
  const country = search.get(PARAMS.countryCode)?.trim().toUpperCase() ?? null;
  const group = search.get(PARAMS.groupId);
  const website = search.get(PARAMS.websiteId);
  const from = search.get(PARAMS.from);
  const to = search.get(PARAMS.to);
  return {
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    zip: text('zip'),
    region: text('region'),
    groupId: isId(group) ? group : null,
    countryCode: country && /^[A-Z]{2}$/.test(country) ? country : null,
    websiteId: isId(website) ? website : null,
    from: isDay(from) ? from : null,
    to: isDay(to) ? to : null,
  };
}

/** `search` with the filter row written into it (empty fields removed). */
export function writeFilters(search: URLSearchParams, filters: CustomerFilterState): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [field, param] of Object.entries(PARAMS) as [keyof CustomerFilterState, string][]) {
    const value = filters[field]?.trim();
    if (value) next.set(param, value);
    else next.delete(param);
  }
  return next;
}

/** True when any field of the filter row is set. */
export function hasFilters(filters: CustomerFilterState): boolean {
  return Object.values(filters).some((value) => value !== null && value !== '');
}

/** The first instant of a calendar day in a time zone, RFC 3339 in UTC. */
export function startOfDay(day: string, timeZone: string): string {
  return dayjs.tz(`${day} 00:00:00`, timeZone).toISOString();
}

/** The last instant (millisecond) of a calendar day in a time zone, RFC 3339 in UTC. */
export function endOfDay(day: string, timeZone: string): string {
  const nextDay = dayjs(day, 'YYYY-MM-DD').add(1, 'day').format('YYYY-MM-DD');
  return new Date(dayjs.tz(`${nextDay} 00:00:00`, timeZone).valueOf() - 1).toISOString();
}

/**
 * The API's CustomerFilter for the filter row; undefined when nothing
 * filters. Days are whole days in the store's time zone. `rows` false (an
 * ANALYST) keeps only the fields that role may filter by.
 */
export function toCustomerFilter(
  filters: CustomerFilterState,
  timeZone: string,
  rows = true,
): CustomerFilter | undefined {
  const out: CustomerFilter = {};
  if (filters.groupId) out.groupIds = [filters.groupId];
  if (filters.countryCode) out.countryCodes = [filters.countryCode];
  if (filters.websiteId) out.websiteIds = [filters.websiteId];
  if (rows) {
    for (const key of TEXT_FILTERS) if (filters[key]) out[key] = filters[key];
    if (filters.from) out.customerSinceFrom = startOfDay(filters.from, timeZone);
    if (filters.to) out.customerSinceTo = endOfDay(filters.to, timeZone);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
