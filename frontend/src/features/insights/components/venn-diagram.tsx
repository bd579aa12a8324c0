// A Venn diagram of 2 or 3 segments in plain SVG: one circle per segment,
// each region (customers in some segments and not the others) a link into
// its drill-down, with its count. The region table beside it says the same
// in words (the accessible alternative).
import { useId, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatCount } from '@/lib/format';
import { allRegions, drillDownUrl, type Region } from '../utils/overlap';
import { SEGMENT_COLORS } from './colors';
import classes from './venn-diagram.module.css';

interface Point {
  x: number;
  y: number;
}

interface Layout {
  width: number;
  height: number;
  radius: number;
  centers: Point[];
  /** Where each region's count goes, by the bit mask of its segments (1 = first, 2 = second, 4 = third). */
  labels: Record<number, Point>;
}

const layouts: Record<2 | 3, Layout> = {
  2: {
    width: 470,
    height: 300,
    radius: 115,
    centers: [
      { x: 170, y: 150 },
      { x: 300, y: 150 },
    ],
    labels: { 1: { x: 112, y: 150 }, 2: { x: 358, y: 150 }, 3: { x: 235, y: 150 } },
  },
  3: {
    width: 470,
    height: 400,
    radius: 115,
    centers: [
      { x: 170, y: 140 },
      { x: 300, y: 140 },
      { x: 235, y: 252 },
    ],
    labels: {
      1: { x: 118, y: 110 },
      2: { x: 352, y: 110 },
      4: { x: 235, y: 320 },
      3: { x: 235, y: 92 },
      5: { x: 168, y: 222 },
      6: { x: 302, y: 222 },
      7: { x: 235, y: 180 },
    },
  },
};

export interface VennSegment {
  id: string;
  name: string;
}

export interface VennDiagramProps {
  segments: VennSegment[];
  regions: Region[];
}

/** A plain-language name of a region, e.g. "In A and B, not in C: 12 customers". */
export function useRegionLabel(segments: readonly VennSegment[]) {
  const { t } = useTranslation('insights');
  const name = (id: string) => segments.find((s) => s.id === id)?.name ?? id;
  return (region: Region) => {
    const inNames = region.segmentIds.map(name).join(t('and'));
    const count = t('customers', { count: region.customerCount, formatted: formatCount(region.customerCount) });
    return region.excludedSegmentIds.length === 0
      ? t('region.inAll', { in: inNames, count })
      : t('region.inNotIn', { in: inNames, out: region.excludedSegmentIds.map(name).join(t('or')), count });
  };
}

export function VennDiagram({ segments, regions }: VennDiagramProps) {
  const { t } = useTranslation('insights');
  const navigate = useNavigate();
  const uid = useId().replace(/[^a-zA-Z0-9]/g, '');
  const label = useRegionLabel(segments);
  const layout = layouts[segments.length as 2 | 3];
  if (!layout) return null;
  const ids = segments.map((s) => s.id);
  const regionsToDraw = allRegions(ids, regions);
  const maskOf = (region: Region) => ids.reduce((m, id, i) => (region.segmentIds.includes(id) ? m | (1 << i) : m), 0);

  function follow(event: MouseEvent<Element>, url: string) {
    // A plain click stays in the app; ctrl/cmd/shift-click opens a tab as usual.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void navigate(url);
  }

  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width }}
      role="group"
      aria-label={t('venn.label', { names: segments.map((s) => s.name).join(', ') })}
      data-testid="venn-diagram"
    >
      <defs>
        {layout.centers.map((c, i) => (
          <clipPath key={i} id={`${uid}c${i}`}>
            <circle cx={c.x} cy={c.y} r={layout.radius} />
          </clipPath>
        ))}
        {regionsToDraw.map((region) => {
          const m = maskOf(region);
          return (
            <mask key={m} id={`${uid}m${m}`}>
              <rect width={layout.width} height={layout.height} fill="#fff" />
              {layout.centers.map((c, i) =>
                m & (1 << i) ? null : <circle key={i} cx={c.x} cy={c.y} r={layout.radius} fill="#000" />,
              )}
            </mask>
          );
        })}
      </defs>
      {layout.centers.map((c, i) => (
        <circle
          key={i}
          cx={c.x}
          cy={c.y}
          r={layout.radius}
          fill={SEGMENT_COLORS[i]}
          fillOpacity={0.14}
          stroke={SEGMENT_COLORS[i]}
          strokeWidth={3}
        />
      ))}
      {regionsToDraw.map((region) => {
        const m = maskOf(region);
        // Nested clips: the shape is inside every one of the region's circles.
        let shape = (
          <rect
            className={classes.regionShape}
            width={layout.width}
            height={layout.height}
            mask={`url(#${uid}m${m})`}
          />
        );
        layout.centers.forEach((_, i) => {
          if (m & (1 << i)) shape = <g clipPath={`url(#${uid}c${i})`}>{shape}</g>;
        });
        if (region.customerCount === 0) return <g key={m}>{shape}</g>;
        const url = drillDownUrl(region.segmentIds, 'intersection', region.excludedSegmentIds);
        return (
          <a
            key={m}
            href={url}
            className={classes.region}
            aria-label={label(region)}
            onClick={(event) => follow(event, url)}
            data-testid={`venn-region-${region.segmentIds.join('-')}`}
          >
            <title>{label(region)}</title>
            {shape}
          </a>
        );
      })}
      {regionsToDraw.map((region) => {
        const p = layout.labels[maskOf(region)];
        if (!p) return null;
        const text = formatCount(region.customerCount);
        return (
          <g key={maskOf(region)} aria-hidden="true">
            <rect
              className={classes.labelHalo}
              x={p.x - (text.length * 9 + 10) / 2}
              y={p.y - 13}
              width={text.length * 9 + 10}
              height={24}
              rx={6}
            />
            <text className={classes.label} x={p.x} y={p.y} textAnchor="middle" dominantBaseline="central" fontSize={16}>
              {text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
