// The report's filter row in the URL (?idMin=&idMax=&name=&status=&website=
// &countMin=&countMax=) and as the API's SegmentFilter.
import type { SegmentFilter, SegmentStatus } from '@/gql/graphql';

/** The filter row's values, as the URL holds them (strings; '' when empty). */
export interface FilterValues {
  idMin: string;
  idMax: string;
  name: string;
  status: '' | 'active' | 'inactive';
  website: string;
  countMin: string;
  countMax: string;
}

export const FILTER_PARAMS = ['idMin', 'idMax', 'name', 'status', 'website', 'countMin', 'countMax'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

export const emptyFilters: FilterValues = {
  idMin: '',
  idMax: '',
  name: '',
  status: '',
  website: '',
  countMin: '',
  countMax: '',
};

/** A whole number ≥ 0 as written, or '' (anything else is dropped). */
function wholeNumber(value: string | null): string {
  const trimmed = value?.trim() ?? '';
  return /^\d{1,9}$/.test(trimmed) ? String(Number(trimmed)) : '';
}

export function readFilters(params: URLSearchParams): FilterValues {
  const status = params.get('status')?.toLowerCase();
  return {
    idMin: wholeNumber(params.get('idMin')),
    idMax: wholeNumber(params.get('idMax')),
    name: params.get('name') ?? '',
    status: status === 'active' || status === 'inactive' ? status : '',
    website: wholeNumber(params.get('website')),
    countMin: wholeNumber(params.get('countMin')),
    countMax: wholeNumber(params.get('countMax')),
  };
}

export function hasFilters(values: FilterValues): boolean {
  return FILTER_PARAMS.some((key) => values[key].trim() !== '');
}

/** The API's filter, or undefined when nothing filters. */
export function toSegmentFilter(values: FilterValues): SegmentFilter | undefined {
  const filter: SegmentFilter = {};
  if (values.idMin) filter.idMin = Number(values.idMin);
  if (values.idMax) filter.idMax = Number(values.idMax);
  if (values.name.trim()) filter.name = values.name.trim();
  if (values.status) filter.status = values.status.toUpperCase() as SegmentStatus;
  if (values.website) filter.websiteIds = [values.website];
  if (values.countMin) filter.customerCountMin = Number(values.countMin);
  if (values.countMax) filter.customerCountMax = Number(values.countMax);
  return Object.keys(filter).length ? filter : undefined;
}

/** Param changes that clear every filter. */
export const clearFilterParams = Object.fromEntries(FILTER_PARAMS.map((key) => [key, null]));
