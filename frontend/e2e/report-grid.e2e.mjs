// Browser test of the Customer Segments Report grid (/segments) against the
// real server on seeded data: filters, selection, paging in the URL, Refresh
// Segment Data with progress, mass status changes and delete, Back from a
// drill-down, 800 px, roles, axe (English and Swedish) and screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closePage, expectAccessible, screenshot, startE2E } from './harness.mjs';

let e2e;
/** The ids of the extra segments this test makes ("Batch NN"), so paging has pages. */
let batch = [];

const count = (n) => n.toLocaleString('en-US');
const BATCH = 30;

before(async () => {
  e2e = await startE2E({ name: 'report_grid', customers: 1500, orders: 6000 });
  const { websites } = await e2e.graphql('{ websites { id } }');
  for (let i = 1; i <= BATCH; i++) {
    const { createSegment } = await e2e.graphql(
      `mutation($in: SegmentInput!) { createSegment(input: $in) { id } }`,
      {
        in: {
          name: `Batch ${String(i).padStart(2, '0')}`,
          status: i % 5 === 0 ? 'INACTIVE' : 'ACTIVE',
          websiteIds: [websites[0].id],
          conditions: { conditions: [{ customer: { field: 'EMAIL', operator: 'CONTAINS', values: [String(i % 10)] } }] },
        },
      },
    );
    batch.push(createSegment.id);
  }
});

after(async () => {
  await e2e?.stop();
});

const topPager = (page) => page.getByRole('navigation', { name: 'Pagination above the grid' });
const selected = (page) => page.getByTestId('selected-count');
/** Deselect All, when anything is selected (the button is disabled otherwise). */
async function deselectAll(page) {
  const button = page.getByRole('button', { name: 'Deselect All', exact: true });
  if (await button.isEnabled()) await button.click();
  await selected(page).getByText('0 selected').waitFor();
}
const segmentIds = async (filter) => (await e2e.graphql('query($f: SegmentFilter) { segmentIds(filter: $f) }', { f: filter })).segmentIds;

async function openReport(page, path = '/segments') {
  await page.goto(`${e2e.origin}${path}`);
  await page.getByRole('heading', { level: 1, name: 'Customer Segments Report' }).waitFor();
  await topPager(page).getByText(/records? found/).waitFor();
}

test('filter by name and status, Select Visible, Select All with the filter', async () => {
  const page = await e2e.newPage();
  await openReport(page);
  await screenshot(page, 'report-grid');
  await expectAccessible(page, 'the report');

  await page.getByRole('textbox', { name: 'Segment name contains' }).fill('batch');
  await page.getByRole('combobox', { name: 'Status filter' }).selectOption('active');
  await page.waitForURL(/name=batch/);
  const ids = await segmentIds({ name: 'batch', status: 'ACTIVE' });
  assert.equal(ids.length, 24);
  await topPager(page).getByText(`${ids.length} records found`).waitFor();

  await page.getByRole('button', { name: 'Select Visible', exact: true }).click();
  await selected(page).getByText('20 selected').waitFor();

  // Select All: exactly segmentIds(filter), on every page.
  await deselectAll(page);
  await page.getByRole('button', { name: 'Select All', exact: true }).click();
  await selected(page).getByText(`${ids.length} selected`).waitFor();
  const stored = JSON.parse(await page.evaluate(() => sessionStorage.getItem('segments.report.selection')));
  assert.deepEqual(stored, ids);
  await topPager(page).getByRole('button', { name: 'Next', exact: true }).click();
  await page.waitForURL(/page=2/);
  await topPager(page).getByText('Page 2 of 2').waitFor();
  await page.getByRole('table', { name: 'Customer segments', busy: false }).waitFor();
  const boxes = page.getByRole('checkbox', { name: /^Select segment / });
  assert.equal(await boxes.count(), ids.length - 20);
  for (const box of await boxes.all()) assert.equal(await box.isChecked(), true);
  await closePage(page);
});

test('paging First / Next / Last keeps the page in the URL across a reload', async () => {
  const { segments } = await e2e.graphql('{ segments(first: 200) { totalCount nodes { id name } } }');
  const total = segments.totalCount;
  assert.ok(total > 40, `needs three pages of 20, has ${total}`);
  const pages = Math.ceil(total / 20);
  const page = await e2e.newPage();
  await openReport(page);
  const pager = topPager(page);
  await pager.getByText(`Page 1 of ${pages}`).waitFor();
  await pager.getByRole('button', { name: 'Next', exact: true }).click();
  await page.waitForURL(/after=.*page=2/);
  await pager.getByText(`Page 2 of ${pages}`).waitFor();
  await page.getByRole('link', { name: segments.nodes[20].name, exact: true }).waitFor();

  await page.reload();
  await pager.getByText(`Page 2 of ${pages}`).waitFor();
  await page.getByRole('link', { name: segments.nodes[20].name, exact: true }).waitFor();

  await page.getByRole('navigation', { name: 'Pagination below the grid' }).getByRole('button', { name: 'Last page', exact: true }).click();
  await page.waitForURL(/last=1/);
  await pager.getByText(`Page ${pages} of ${pages}`).waitFor();
  await page.getByRole('link', { name: segments.nodes.at(-1).name, exact: true }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: segments.nodes.at(-1).name, exact: true }).waitFor();

  await pager.getByRole('button', { name: 'First page', exact: true }).click();
  await pager.getByText(`Page 1 of ${pages}`).waitFor();
  await page.getByRole('link', { name: segments.nodes[0].name, exact: true }).waitFor();
  assert.doesNotMatch(page.url(), /after|before|last/);
  await closePage(page);
});

test('Refresh Segment Data on the selection shows progress, then the counts the API has', async () => {
  const ids = batch.slice(0, 3);
  const page = await e2e.newPage();
  await openReport(page, '/segments?name=batch&size=50');
  for (const id of ids) await page.getByRole('checkbox', { name: `Select segment Batch ${String(batch.indexOf(id) + 1).padStart(2, '0')}` }).check();
  await selected(page).getByText('3 selected').waitFor();
  await page.getByRole('button', { name: 'Refresh Segment Data', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Refresh Segment Data' });
  await dialog.getByText('Recompute the members of the 3 selected segments now?').waitFor();
  await dialog.getByRole('button', { name: 'Refresh', exact: true }).click();
  // Small runs may finish at once; either way the notification says how many.
  await page.getByText(/Refreshing segment data: \d+ of 3 segments|3 segments refreshed/).first().waitFor();
  // Incremental unless a full re-evaluation is chosen; the notification says which.
  await page.getByText('3 segments refreshed (incremental)').waitFor({ timeout: 60_000 });

  const { segments } = await e2e.graphql('query($ids: [ID!]) { segments(first: 3, filter: { ids: $ids }) { nodes { id name customerCount refreshedAt } } }', { ids });
  for (const s of segments.nodes) {
    assert.ok(s.refreshedAt, `${s.name} was refreshed`);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: s.name, exact: true }) });
    await row.getByRole('link', { name: `Customers of ${s.name}` }).getByText(count(s.customerCount), { exact: true }).waitFor();
    assert.equal(await row.getByText('never refreshed').count(), 0);
  }
  await screenshot(page, 'report-grid-refreshed');
  await closePage(page);
});

test('Refresh Segment Data with a full re-evaluation asks for one, and says the run is one', async () => {
  const ids = batch.slice(10, 12);
  const page = await e2e.newPage();
  await openReport(page, '/segments?name=batch&size=50');
  await deselectAll(page);
  for (const id of ids) await page.getByRole('checkbox', { name: `Select segment Batch ${String(batch.indexOf(id) + 1).padStart(2, '0')}` }).check();
  await selected(page).getByText('2 selected').waitFor();
  await page.getByRole('button', { name: 'Refresh Segment Data', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Refresh Segment Data' });
  const full = dialog.getByRole('checkbox', { name: 'Full re-evaluation' });
  assert.equal(await full.isChecked(), false, 'incremental by default');
  await full.check();
  await expectAccessible(page, 'refresh confirmation with the full re-evaluation choice');
  await dialog.getByRole('button', { name: 'Refresh', exact: true }).click();
  await page.getByText('2 segments refreshed (full re-evaluation)').waitFor({ timeout: 60_000 });

  // The server recorded a full run of exactly those segments.
  const { auditEvents } = await e2e.graphql(
    `{ auditEvents(first: 5, filter: { actions: ["refresh_requested"] }) { nodes { subjectIds details } } }`,
    undefined,
    'admin',
  );
  const event = auditEvents.nodes.find((e) => [...e.subjectIds].sort().join() === [...ids].sort().join());
  assert.ok(event, `a refresh of ${ids} was recorded: ${JSON.stringify(auditEvents.nodes)}`);
  assert.equal(JSON.parse(event.details).full, true);
  await closePage(page);
});

test('deactivate and activate two segments; delete one after the confirmation', async () => {
  const [a, b, c] = [batch[5], batch[6], batch[7]];
  const page = await e2e.newPage();
  await openReport(page, '/segments?name=batch&size=50');
  await deselectAll(page);
  await page.getByRole('checkbox', { name: 'Select segment Batch 06' }).check();
  await page.getByRole('checkbox', { name: 'Select segment Batch 07' }).check();
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await page.getByText('2 segments are now inactive').waitFor();
  const status = async () =>
    (await e2e.graphql('query($ids: [ID!]) { segments(filter: { ids: $ids }) { nodes { status } } }', { ids: [a, b] })).segments.nodes.map((s) => s.status);
  assert.deepEqual(await status(), ['INACTIVE', 'INACTIVE']);
  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  await page.getByText('2 segments are now active').waitFor();
  assert.deepEqual(await status(), ['ACTIVE', 'ACTIVE']);

  await deselectAll(page);
  await page.getByRole('checkbox', { name: 'Select segment Batch 08' }).check();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 1 segment?' });
  await dialog.getByTestId('delete-names').getByText('Batch 08').waitFor();
  await screenshot(page, 'report-grid-delete');
  await expectAccessible(page, 'the delete confirmation');
  await dialog.getByRole('button', { name: 'Delete for good', exact: true }).click();
  await page.getByText('1 segment deleted').waitFor();
  await page.getByRole('link', { name: 'Batch 08', exact: true }).waitFor({ state: 'detached' });
  const { segment } = await e2e.graphql('query($id: ID!) { segment(id: $id) { id } }', { id: c });
  assert.equal(segment, null);
  await selected(page).getByText('0 selected').waitFor();
  batch = batch.filter((id) => id !== c);
  await closePage(page);
});

test('Back from a drill-down restores the selection, filters and page', async () => {
  const page = await e2e.newPage();
  await openReport(page, '/segments?name=batch');
  await deselectAll(page);
  await topPager(page).getByRole('button', { name: 'Next', exact: true }).click();
  await page.waitForURL(/page=2/);
  // The pager shows page 2 once its rows are on screen.
  await topPager(page).getByText(/^Page 2 of/).waitFor();
  await page.getByRole('table', { name: 'Customer segments', busy: false }).waitFor();
  const first = page.getByRole('checkbox', { name: /^Select segment Batch/ }).first();
  const label = await first.getAttribute('aria-label');
  await first.check();
  await selected(page).getByText('1 selected').waitFor();
  await page.getByRole('button', { name: 'View customers', exact: true }).click();
  await page.waitForURL(/\/segments\/\d+\/customers/);
  await page.getByText('records found').first().waitFor();
  assert.match(await page.evaluate(() => sessionStorage.getItem('segments.report.lastUrl')), /name=batch.*page=2/);
  await page.goBack();
  await page.waitForURL(/name=batch.*page=2/);
  await topPager(page).getByText(/^Page 2 of/).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Segment name contains' }).inputValue(), 'batch');
  await selected(page).getByText('1 selected').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: label, exact: true }).isChecked(), true);
  await closePage(page);
});

test('at 800 px every column is reachable inside the grid, and ID and Segment stay in view', async () => {
  const page = await e2e.newPage({ width: 800 });
  await openReport(page);
  const grid = page.getByRole('table', { name: 'Customer segments' });
  const scroller = grid.locator('xpath=..');
  const refreshed = page.getByRole('columnheader', { name: /Refreshed/ });
  await refreshed.scrollIntoViewIfNeeded();
  const box = await refreshed.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 800, `Refreshed header is within the viewport: ${JSON.stringify(box)}`);
  const segmentHeader = await page.getByRole('columnheader', { name: /Segment/ }).boundingBox();
  assert.ok(segmentHeader && segmentHeader.x >= 0 && segmentHeader.x < 400, 'the Segment column stays in view');
  // Nothing but the grid's own box scrolls sideways.
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.ok(await scroller.evaluate((el) => el.scrollLeft > 0 || el.scrollWidth <= el.clientWidth));
  await screenshot(page, 'report-grid-800px');
  await closePage(page);
});

test('an analyst sees no Refresh, edits or Delete', async () => {
  const page = await e2e.newPage({ role: 'analyst' });
  await openReport(page);
  for (const name of ['Refresh Segment Data', 'Activate', 'Deactivate', 'Delete', 'View customers']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
  }
  await page.getByRole('button', { name: 'Compare', exact: true }).waitFor();
  await closePage(page);
});

test('in Swedish, with an axe check', async () => {
  const page = await e2e.newPage({ language: 'sv' });
  await page.goto(`${e2e.origin}/segments`);
  await page.getByRole('heading', { level: 1, name: 'Rapport över kundsegment' }).waitFor();
  await page.getByText(/poster hittades/).first().waitFor();
  for (const name of ['Uppdatera segmentdata', 'Markera alla', 'Avmarkera alla', 'Markera synliga', 'Avmarkera synliga']) {
    await page.getByRole('button', { name }).first().waitFor();
  }
  await expectAccessible(page, 'the report in Swedish');
  await screenshot(page, 'report-grid-sv');
  await closePage(page);
});
