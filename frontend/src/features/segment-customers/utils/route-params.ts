// Reading the drill-down route: /segments/:ids/customers?mode=union|intersection.
import type { SetMode } from '@/config/paths';
import type { SegmentSetMode } from '@/gql/graphql';

export interface DrillDownTarget {
  /** Distinct segment ids in the order written. */
  ids: string[];
  mode: SegmentSetMode;
  /** What is wrong with the URL, if anything. */
  problem: string | null;
}

export function parseDrillDown(rawIds: string | undefined, rawMode: string | null): DrillDownTarget {
  const parts = (rawIds ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const ids = [...new Set(parts)];
  const mode: SetMode | null =
    rawMode === null || rawMode === '' || rawMode.toLowerCase() === 'union'
      ? 'union'
      : rawMode.toLowerCase() === 'intersection'
        ? 'intersection'
        : null;

  let problem: string | null = null;
  const bad = ids.filter((id) => !/^\d+$/.test(id));
  if (ids.length === 0) problem = 'No segment ids in the address.';
  else if (bad.length > 0) problem = `Not a segment id: ${bad.join(', ')}.`;
  else if (mode === null) problem = `Unknown mode "${rawMode}": use union or intersection.`;

  return { ids: problem ? [] : ids, mode: mode === 'intersection' ? 'INTERSECTION' : 'UNION', problem };
}
