// Browser test: names sort in the store's language, whatever the viewer's.
// The server runs with STORE_LOCALE=sv-SE, so Å, Ä and Ö come after Z — in
// the report grid sorted by name, in English and in Swedish alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closePage, screenshot, startE2E } from './harness.mjs';

let e2e;
const names = ['Adam lokal', 'Zeta lokal', 'Åkesson lokal', 'Ärlig lokal', 'Östen lokal'];

before(async () => {
  e2e = await startE2E({ name: 'locale', env: { STORE_LOCALE: 'sv-SE' }, customers: 300, orders: 600 });
  const { websites } = await e2e.graphql('{ websites { id } }');
  // Created in an order that is neither Swedish nor root alphabetical.
  for (const name of ['Östen lokal', 'Adam lokal', 'Ärlig lokal', 'Zeta lokal', 'Åkesson lokal']) {
    await e2e.graphql(
      'mutation($input: SegmentInput!) { createSegment(input: $input) { id } }',
      { input: { name, websiteIds: [websites[0].id], conditions: { conditions: [] } } },
    );
  }
});

after(async () => {
  await e2e?.stop();
});

test('the API reports the store locale and sorts names by it', async () => {
  const { store, segments } = await e2e.graphql(
    '{ store { locale } segments(first: 200, filter: {name: "lokal"}, orderBy: {field: NAME}) { nodes { name } } }',
  );
  assert.equal(store.locale, 'sv-SE');
  assert.deepEqual(
    segments.nodes.map((s) => s.name),
    names,
  );
});

for (const language of ['en', 'sv']) {
  test(`the report sorted by name puts Å, Ä, Ö after Z (${language})`, async () => {
    const page = await e2e.newPage({ language });
    await page.goto(`${e2e.origin}/segments`);
    const grid = page.getByRole('table');
    await grid.getByRole('cell', { name: 'Zeta lokal', exact: true }).waitFor();
    // The name column is "Segment" in both languages.
    await grid.getByRole('columnheader', { name: /^Segment/ }).getByRole('button').click();
    await page.waitForURL(/NAME/);
    // The rows change once the sorted page has arrived: read them until they
    // are in name order, or give up after ten seconds with what was shown.
    let shown = [];
    for (let i = 0; i < 50; i++) {
      const cells = await grid.getByRole('cell').allInnerTexts();
      shown = cells.map((c) => c.trim()).filter((c) => names.includes(c));
      if (shown[0] === names[0]) break;
      await page.waitForTimeout(200);
    }
    assert.deepEqual(shown, names);
    await screenshot(page, `store-locale-report-${language}`);
    await closePage(page);
  });
}
