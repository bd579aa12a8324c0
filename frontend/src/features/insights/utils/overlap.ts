// The overlap view's URLs and regions, apart from how they are drawn.
import type { SetMode } from '@/config/paths';

/** Fewest and most segments the overlap view compares (the API's limits). */
export const MIN_OVERLAP_SEGMENTS = 2;
export const MAX_OVERLAP_SEGMENTS = 10;

/** Above this many segments the view shows a pairwise matrix instead of a Venn diagram. */
export const MAX_VENN_SEGMENTS = 3;

/**
 * The distinct segment ids of `?ids=1,2,3`, in the order given, or null when
 * the parameter does not name 2 to 10 segment ids.
 */
export function parseOverlapIds(raw: string | null): string[] | null {
  if (!raw) return null;
  const ids: string[] = [];
  for (const part of raw.split(',')) {
    const id = part.trim();
    if (!/^[1-9]\d{0,18}$/.test(id)) return null;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length >= MIN_OVERLAP_SEGMENTS && ids.length <= MAX_OVERLAP_SEGMENTS ? ids : null;
}

/**
 * The drill-down of customers in all (intersection) or any (union) of
 * `ids` and in none of `exclude`.
 */
export function drillDownUrl(ids: readonly string[], mode: SetMode, exclude: readonly string[] = []): string {
  const params = new URLSearchParams({ mode });
  if (exclude.length > 0) params.set('exclude', exclude.join(','));
  // Commas stay readable in the URL (they need no escaping in a query).
  return `/segments/${ids.join(',')}/customers?${params.toString().replaceAll('%2C', ',')}`;
}

/** A region of the diagram: its customers are in all of segmentIds and none of excludedSegmentIds. */
export interface Region {
  segmentIds: string[];
  excludedSegmentIds: string[];
  customerCount: number;
}

/**
 * Every region of a Venn diagram of `ids` (2^n - 1 of them), fewest
 * segments first, with the API's count (0 for a region the API left out as
 * empty). Drawn in this order, a region with more segments lies on top of
 * the ones it is cut out of.
 */
export function allRegions(ids: readonly string[], regions: readonly Region[]): Region[] {
  const key = (inIds: readonly string[]) => [...inIds].sort().join(',');
  const counts = new Map(regions.map((r) => [key(r.segmentIds), r.customerCount]));
  const out: Region[] = [];
  for (let mask = 1; mask < 1 << ids.length; mask++) {
    const inIds = ids.filter((_, i) => mask & (1 << i));
    const outIds = ids.filter((_, i) => !(mask & (1 << i)));
    out.push({ segmentIds: inIds, excludedSegmentIds: outIds, customerCount: counts.get(key(inIds)) ?? 0 });
  }
  return out.sort((a, b) => a.segmentIds.length - b.segmentIds.length);
}

/** Where the report was left (its URL with filters, sort and page), for Back. */
export function reportUrl(fallback: string): string {
  try {
    const saved = sessionStorage.getItem('segments.report.lastUrl');
    if (saved && saved.startsWith('/') && !saved.startsWith('//')) return saved;
  } catch {
    /* storage unavailable */
  }
  return fallback;
}
