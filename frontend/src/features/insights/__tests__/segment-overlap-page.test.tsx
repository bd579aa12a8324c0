// Component tests of the overlap view: every region and total links to the
// drill-down of exactly its customers; more than 3 segments get a matrix.
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockGraphQL } from '@/testing/mock-api';
import { renderRoute } from '@/testing/render';
import { allRegions, parseOverlapIds } from '../utils/overlap';

const names: Record<string, string> = { '3': 'Big spenders', '5': 'Nordic VIPs', '7': 'Lapsed', '9': 'New', '11': 'Returning' };

function overlapOf(ids: string[]) {
  return {
    segments: ids.map((id) => ({ id, name: names[id] })),
    unionCount: 160,
    intersectionCount: 4,
    pairs: ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ segmentIds: [a, b], intersectionCount: Number(a) * Number(b), unionCount: 99 }))),
    regions:
      ids.length === 3
        ? [
            { segmentIds: ['3'], excludedSegmentIds: ['5', '7'], customerCount: 100 },
            { segmentIds: ['5'], excludedSegmentIds: ['3', '7'], customerCount: 30 },
            { segmentIds: ['3', '5'], excludedSegmentIds: ['7'], customerCount: 6 },
            { segmentIds: ['5', '7'], excludedSegmentIds: ['3'], customerCount: 20 },
            { segmentIds: ['3', '5', '7'], excludedSegmentIds: [], customerCount: 4 },
            // 7 alone and 3∩7 without 5 are empty: the API leaves them out.
          ]
        : [],
  };
}

function mockApi() {
  return mockGraphQL({
    SegmentOverlap: (v) => ({ data: { segmentOverlap: overlapOf(v.segmentIds as string[]) } }),
  });
}

describe('the overlap view', () => {
  it('links each Venn region to its intersection minus the other segments', async () => {
    const api = mockApi();
    const { user, location } = renderRoute('/segments/overlap?ids=3,5,7');
    expect(await screen.findByRole('heading', { level: 1, name: 'Segment overlap' })).toBeInTheDocument();
    await screen.findByTestId('venn-diagram');
    expect(api.lastCallOf('SegmentOverlap')?.variables).toEqual({ segmentIds: ['3', '5', '7'] });

    const venn = screen.getByTestId('venn-diagram');
    const regionLinks = within(venn).getAllByRole('link');
    // Five non-empty regions are links; the two empty ones are not.
    expect(regionLinks.map((a) => a.getAttribute('href')).sort()).toEqual(
      [
        '/segments/3/customers?mode=intersection&exclude=5,7',
        '/segments/5/customers?mode=intersection&exclude=3,7',
        '/segments/3,5/customers?mode=intersection&exclude=7',
        '/segments/5,7/customers?mode=intersection&exclude=3',
        '/segments/3,5,7/customers?mode=intersection',
      ].sort(),
    );
    const onlyBig = within(venn).getByRole('link', { name: 'In Big spenders, not in Nordic VIPs or Lapsed: 100 customers' });
    expect(onlyBig).toHaveAttribute('href', '/segments/3/customers?mode=intersection&exclude=5,7');

    // The region table says the same, with the same links.
    const table = screen.getByTestId('region-table');
    const row = within(table).getByRole('link', { name: 'In Nordic VIPs and Lapsed, not in Big spenders: 20 customers' });
    expect(row).toHaveAttribute('href', '/segments/5,7/customers?mode=intersection&exclude=3');
    expect(within(table).getAllByRole('link')).toHaveLength(5);

    // Totals link to the union and intersection of all three.
    expect(screen.getByTestId('overlap-union')).toHaveAttribute('href', '/segments/3,5,7/customers?mode=union');
    expect(screen.getByTestId('overlap-union')).toHaveTextContent('160');
    expect(screen.getByTestId('overlap-intersection')).toHaveAttribute('href', '/segments/3,5,7/customers?mode=intersection');

    // Clicking a region goes to its drill-down inside the app.
    await user.click(onlyBig);
    expect(location()).toBe('/segments/3/customers?mode=intersection&exclude=5,7');
  });

  it('shows a pairwise matrix for more than three segments', async () => {
    mockApi();
    renderRoute('/segments/overlap?ids=3,5,7,9');
    const matrix = await screen.findByTestId('pair-matrix');
    expect(screen.queryByTestId('venn-diagram')).not.toBeInTheDocument();
    const cell = within(matrix).getByRole('link', { name: 'In both Nordic VIPs and New: 45 customers' });
    expect(cell).toHaveAttribute('href', '/segments/5,9/customers?mode=intersection');
    // Each pair appears twice, above and below the diagonal.
    const mirrored = within(matrix).getByRole('link', { name: 'In both New and Nordic VIPs: 45 customers' });
    expect(mirrored).toHaveAttribute('href', '/segments/9,5/customers?mode=intersection');
    expect(within(matrix).getAllByRole('link')).toHaveLength(12);
  });

  it('goes back to where the report was left', async () => {
    mockApi();
    sessionStorage.setItem('segments.report.lastUrl', '/segments?sort=NAME&dir=desc');
    renderRoute('/segments/overlap?ids=3,5');
    const back = await screen.findByRole('link', { name: 'Back to the report' });
    expect(back).toHaveAttribute('href', '/segments?sort=NAME&dir=desc');
    sessionStorage.removeItem('segments.report.lastUrl');
  });

  it('asks for 2 to 10 segments when the URL names fewer or more', async () => {
    const api = mockApi();
    renderRoute('/segments/overlap?ids=3');
    expect(await screen.findByText('Choose 2 to 10 segments in the report to compare them.')).toBeInTheDocument();
    expect(api.callsOf('SegmentOverlap')).toHaveLength(0);
  });

  it('is in Swedish when the language is Swedish', async () => {
    mockApi();
    const { i18next } = await import('@/lib/i18n');
    await i18next.changeLanguage('sv');
    renderRoute('/segments/overlap?ids=3,5,7');
    expect(await screen.findByRole('heading', { level: 1, name: 'Segmentöverlapp' })).toBeInTheDocument();
    await screen.findByTestId('venn-diagram');
    expect(screen.getAllByRole('link', { name: 'I Big spenders, inte i Nordic VIPs eller Lapsed: 100 kunder' })).toHaveLength(2);
  });
});

describe('parseOverlapIds and allRegions', () => {
  it('takes 2 to 10 distinct ids', () => {
    expect(parseOverlapIds('3,5,3')).toEqual(['3', '5']);
    expect(parseOverlapIds('3')).toBeNull();
    expect(parseOverlapIds('3,x')).toBeNull();
    expect(parseOverlapIds(Array.from({ length: 11 }, (_, i) => i + 1).join(','))).toBeNull();
  });

  it('lists every region, the empty ones at 0, fewest segments first', () => {
    const regions = allRegions(['3', '5'], [{ segmentIds: ['5', '3'], excludedSegmentIds: [], customerCount: 2 }]);
    expect(regions).toEqual([
      { segmentIds: ['3'], excludedSegmentIds: ['5'], customerCount: 0 },
      { segmentIds: ['5'], excludedSegmentIds: ['3'], customerCount: 0 },
      { segmentIds: ['3', '5'], excludedSegmentIds: [], customerCount: 2 },
    ]);
  });
});
