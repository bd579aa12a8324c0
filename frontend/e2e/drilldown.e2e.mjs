// Browser test of the drill-down (/segments/:ids/customers): opened from its
// address, filtered, switched between union and intersection, sorted, with
// exclusions, exported (CSV with semicolons, Excel XML) and checked file by
// file, at 800 px wide, as an analyst, Back to the report, in English and
// Swedish — each against what the API answers for the same question.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { closePage, expectAccessible, screenshot, startE2E } from './harness.mjs';

let e2e;
/** The two biggest demo segments: { id, name }. */
let a;
let b;

const count = (n) => n.toLocaleString('en-US');
const countryName = (code) => new Intl.DisplayNames(['en'], { type: 'region' }).of(code);

const CUSTOMERS = `query($ids: [ID!]!, $mode: SegmentSetMode, $exclude: [ID!], $filter: CustomerFilter, $orderBy: CustomerOrder, $first: Int) {
  segmentCustomers(segmentIds: $ids, mode: $mode, excludeSegmentIds: $exclude, filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount
    nodes { id email group { id name } country { code } }
  }
}`;

/** What the API lists for these arguments (first page of 20, by id unless told). */
async function customers(variables, role = 'editor') {
  const data = await e2e.graphql(CUSTOMERS, { first: 20, orderBy: { field: 'ID', direction: 'ASC' }, ...variables }, role);
  return data.segmentCustomers;
}

/** The "N records found" of the pager above the grid. */
const recordsFound = (page, n) => page.getByText(`${count(n)} records found`).first();
const grid = (page) => page.getByRole('table', { name: 'Segment customers' });
const firstRow = (page) => grid(page).getByRole('row').nth(1);

before(async () => {
  e2e = await startE2E({ name: 'drilldown' });
  const { segments } = await e2e.graphql(
    '{ segments(first: 2, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { nodes { id name customerCount } } }',
  );
  [a, b] = segments.nodes;
  assert.ok(a.customerCount > 20 && b.customerCount > 0, 'the demo segments have customers');
});

after(async () => {
  await e2e?.stop();
});

test('a union from its address, filtered, switched to intersection in place, sorted by name', async () => {
  const ids = [a.id, b.id];
  const union = await customers({ ids, mode: 'UNION' });
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/${ids.join(',')}/customers`);
  await page.getByRole('heading', { level: 1, name: 'Customers in 2 segments (union)' }).waitFor();
  await recordsFound(page, union.totalCount).waitFor();
  await firstRow(page).getByRole('cell', { name: union.nodes[0].email, exact: true }).waitFor();
  assert.equal(await grid(page).getByRole('row').count(), 1 + Math.min(20, union.totalCount));
  await page.getByTestId(`segment-summary-${a.id}`).getByText(a.name).waitFor();
  await expectAccessible(page, 'drill-down (union)');
  await screenshot(page, 'drilldown-union');

  // Filter by the first customer's country and group, with the selects.
  const { country, group } = union.nodes.find((node) => node.country) ?? union.nodes[0];
  const filter = { countryCodes: [country.code], groupIds: [group.id] };
  const filtered = await customers({ ids, mode: 'UNION', filter });
  assert.ok(filtered.totalCount > 0);
  const filters = page.getByRole('search', { name: 'Filter customers' });
  await filters.getByRole('combobox', { name: 'Country' }).fill(countryName(country.code));
  await page.getByRole('option', { name: countryName(country.code), exact: true }).click();
  await filters.getByRole('combobox', { name: 'Group' }).click();
  await page.getByRole('option', { name: group.name, exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('country') === country.code && url.searchParams.get('group') === group.id);
  await recordsFound(page, filtered.totalCount).waitFor();
  await firstRow(page).getByRole('cell', { name: filtered.nodes[0].email, exact: true }).waitFor();

  // Intersection, in place: same filters, page 1, the API's total.
  const intersection = await customers({ ids, mode: 'INTERSECTION', filter });
  await page.getByRole('radiogroup', { name: 'Combine segments' }).getByText('Intersection').click();
  await page.waitForURL((url) => url.searchParams.get('mode') === 'intersection' && url.searchParams.get('country') === country.code);
  await page.getByRole('heading', { level: 1, name: 'Customers in 2 segments (intersection)' }).waitFor();
  await recordsFound(page, intersection.totalCount).waitFor();

  // Sort by name: the API's first customer by name comes first.
  const byName = await customers({ ids, mode: 'INTERSECTION', filter, orderBy: { field: 'NAME', direction: 'ASC' } });
  await grid(page).getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
  await page.waitForURL(/sort=NAME/);
  if (byName.totalCount > 0) await firstRow(page).getByRole('cell', { name: byName.nodes[0].email, exact: true }).waitFor();

  // A reload shows the same screen.
  const url = page.url();
  await page.reload();
  await recordsFound(page, intersection.totalCount).waitFor();
  assert.equal(page.url(), url);
  if (byName.totalCount > 0) await firstRow(page).getByRole('cell', { name: byName.nodes[0].email, exact: true }).waitFor();
  await closePage(page);
});

test('exclude= leaves out another segment’s customers and says "not in"', async () => {
  const only = await customers({ ids: [a.id], mode: 'INTERSECTION', exclude: [b.id] });
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/${a.id}/customers?mode=intersection&exclude=${b.id}`);
  await page.getByRole('heading', { level: 1, name: `Customers of ${a.name}, not in ${b.name}` }).waitFor();
  await page.getByTestId('excluded-segments').getByText('Not in:').waitFor();
  await recordsFound(page, only.totalCount).waitFor();
  if (only.totalCount > 0) await firstRow(page).getByRole('cell', { name: only.nodes[0].email, exact: true }).waitFor();
  await expectAccessible(page, 'drill-down (exclusion)');
  await screenshot(page, 'drilldown-exclude');
  await closePage(page);
});

/** Clicks Export and returns the downloaded file's bytes and name. */
async function exportFile(page) {
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  const bytes = readFileSync(await download.path());
  await page.getByRole('link', { name: /Download again/ }).waitFor();
  return { bytes, name: download.suggestedFilename() };
}

test('exports CSV with semicolons and Excel XML of what the grid shows', async () => {
  const ids = [a.id, b.id];
  const union = await customers({ ids, mode: 'UNION' });
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/${ids.join(',')}/customers`);
  await recordsFound(page, union.totalCount).waitFor();

  await page.getByLabel('Export to:').selectOption('CSV');
  await page.getByLabel('CSV delimiter').selectOption('SEMICOLON');
  const csv = await exportFile(page);
  assert.match(csv.name, /\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
  // The demo data has no line breaks or semicolons inside cells: a line is a row.
  const lines = csv.bytes.subarray(3).toString('utf8').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  assert.equal(lines[0], 'ID;Name;Email;Group;Phone;ZIP;Country;State/Province;Customer Since');
  assert.equal(lines.length - 1, union.totalCount, 'one row per customer');
  const first = lines[1].split(';');
  assert.equal(first[0], union.nodes[0].id);
  assert.equal(first[2].replace(/^"|"$/g, ''), union.nodes[0].email);

  await page.getByLabel('Export to:').selectOption('EXCEL_XML');
  assert.equal(await page.getByLabel('CSV delimiter').count(), 0);
  const xml = await exportFile(page);
  assert.match(xml.name, /\.xml$/);
  const text = xml.bytes.toString('utf8');
  const rows = text.match(/<Row[\s>][\s\S]*?<\/Row>/g) ?? [];
  assert.equal(rows.length, 1 + union.totalCount, 'a header row and one row per customer');
  const cells = (row) => [...row.matchAll(/<Data[^>]*>([\s\S]*?)<\/Data>/g)].map((m) => m[1]);
  assert.equal(cells(rows[0])[2], 'Email');
  assert.equal(cells(rows[1])[0], union.nodes[0].id);
  assert.equal(cells(rows[1])[2], union.nodes[0].email);
  await screenshot(page, 'drilldown-exported');
  await closePage(page);
});

test('at 800 px the grid scrolls sideways with ID and Name in view', async () => {
  const page = await e2e.newPage({ width: 800, height: 900 });
  await page.goto(`${e2e.origin}/segments/${a.id}/customers`);
  await firstRow(page).waitFor();
  const table = grid(page);
  // The grid's own box scrolls, not the page.
  const scroller = await table.evaluateHandle((el) => {
    let node = el.parentElement;
    while (node && node.scrollWidth <= node.clientWidth) node = node.parentElement;
    return node;
  });
  const box = await scroller.evaluate((el) => {
    el.scrollLeft = el.scrollWidth;
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, scrolled: el.scrollLeft, pageWide: document.documentElement.scrollWidth };
  });
  assert.ok(box.scrolled > 0, 'the grid is wider than 800 px and scrolls');
  assert.ok(box.pageWide <= 800, 'the page itself does not scroll sideways');
  await page.waitForTimeout(200); // let the scroll settle before measuring
  const inView = async (name) => {
    const r = await table.getByRole('columnheader', { name }).boundingBox();
    return r.x >= box.left - 1 && r.x + r.width <= box.right + 1;
  };
  assert.ok(await inView(/^ID/), 'ID stays in view');
  assert.ok(await inView(/^Name/), 'Name stays in view');
  assert.ok(await inView(/Customer Since/), 'the last column is reachable');
  const idCell = await firstRow(page).getByRole('cell').first().boundingBox();
  assert.ok(idCell.x >= box.left - 1, 'the ID cells stay in view too');
  await screenshot(page, 'drilldown-800px');
  await closePage(page);
});

test('an analyst sees the count and no rows', async () => {
  const ids = [a.id, b.id];
  const { totalCount } = await customers({ ids, mode: 'INTERSECTION' }, 'editor');
  const counted = await e2e.graphql(
    'query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, mode: INTERSECTION) { totalCount } }',
    { ids },
    'analyst',
  );
  assert.equal(counted.segmentCustomers.totalCount, totalCount);
  const page = await e2e.newPage({ role: 'analyst' });
  await page.goto(`${e2e.origin}/segments/${ids.join(',')}/customers?mode=intersection`);
  await page.getByText(`${count(totalCount)} customers match`).waitFor();
  await page.getByText(/Your role \(Analyst\) shows how many customers match/).waitFor();
  assert.equal(await page.getByRole('table').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Export', exact: true }).count(), 0);
  await expectAccessible(page, 'drill-down (analyst)');
  await screenshot(page, 'drilldown-analyst');
  await closePage(page);
});

test('Back returns to the report as it was left', async () => {
  const page = await e2e.newPage();
  const reportPath = '/segments?sort=NAME&dir=desc';
  await page.goto(`${e2e.origin}${reportPath}`);
  await page.getByRole('table').first().waitFor();
  // The report remembers its address; set it here too, should this build's report not.
  await page.evaluate((path) => sessionStorage.getItem('segments.report.lastUrl') ?? sessionStorage.setItem('segments.report.lastUrl', path), reportPath);
  const remembered = await page.evaluate(() => sessionStorage.getItem('segments.report.lastUrl'));
  await page.goto(`${e2e.origin}/segments/${a.id},${b.id}/customers?mode=intersection`);
  await page.getByRole('link', { name: /Back to the segments report/ }).click();
  await page.waitForURL((url) => url.pathname === '/segments');
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, remembered);
  assert.match(remembered, /sort=NAME/);
  await closePage(page);
});

test('the drill-down in Swedish', async () => {
  const ids = [a.id, b.id];
  const union = await customers({ ids, mode: 'UNION' });
  const page = await e2e.newPage({ language: 'sv' });
  await page.goto(`${e2e.origin}/segments/${ids.join(',')}/customers`);
  await page.getByRole('heading', { level: 1, name: 'Kunder i 2 segment (union)' }).waitFor();
  await page.getByRole('table', { name: 'Segmentets kunder' }).getByRole('row').nth(1).waitFor();
  await page.getByRole('button', { name: 'Exportera', exact: true }).waitFor();
  await page.getByText(new Intl.NumberFormat('sv').format(union.totalCount), { exact: false }).first().waitFor();
  await expectAccessible(page, 'drill-down (Swedish)');
  await screenshot(page, 'drilldown-sv');
  await closePage(page);
});
