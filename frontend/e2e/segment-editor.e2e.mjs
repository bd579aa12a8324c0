// Browser test of the segment editor and the segment page against the real
// server on a seeded store: a nested rule built in the browser, its live
// count equal to the saved segment's count after a refresh, a rename that
// leaves the rule alone, a duplicate, the server's error at its condition,
// deactivate and delete, and axe checks in English and Swedish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closePage, expectAccessible, screenshot, startE2E } from './harness.mjs';

let e2e;
let websites;

const RULE = `
  fragment Leaf on Condition {
    __typename
    ... on CustomerCondition { field operator values }
    ... on OrderCondition { measure operator values withinDays statuses }
  }
  fragment Level5 on ConditionGroup { match expect conditions { ...Leaf } }
  fragment Level4 on ConditionGroup { match expect conditions { ...Leaf ... on ConditionGroup { ...Level5 } } }
  fragment Level3 on ConditionGroup { match expect conditions { ...Leaf ... on ConditionGroup { ...Level4 } } }
  fragment Level2 on ConditionGroup { match expect conditions { ...Leaf ... on ConditionGroup { ...Level3 } } }
  fragment Rule on ConditionGroup { match expect conditions { ...Leaf ... on ConditionGroup { ...Level2 } } }
`;

async function readSegment(id) {
  const data = await e2e.graphql(
    `query ($id: ID!) { segment(id: $id) { id name description status customerCount refreshedAt membershipStale
       websites { id } conditions { ...Rule } } } ${RULE}`,
    { id },
  );
  return data.segment;
}

/** The input labelled so within scope (a picker's list shares its label). */
function input(scope, label) {
  // A required field's label ends in " *".
  const name = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
  return scope.getByLabel(name).and(scope.locator('input, textarea'));
}

/** Opens a multiple picker once and chooses these options (it stays open between them). */
async function pickMany(page, field, options) {
  await field.click();
  for (const option of options) await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

/** Opens a picker and chooses one of its options. */
async function pick(page, field, option) {
  await field.click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

const condition = (page, n) => page.getByRole('group', { name: `Condition ${n}`, exact: true });
const conditionGroup = (page, n) => page.getByRole('group', { name: `Condition group ${n}`, exact: true });
const rule = (page) => page.getByRole('group', { name: 'Rule', exact: true });

/** The number the preview shows once it has settled. */
async function settledPreview(page) {
  const preview = page.getByTestId('preview-count');
  await preview.waitFor();
  await page.getByText('counting…').waitFor({ state: 'hidden', timeout: 60_000 });
  return Number((await preview.textContent()).replace(/\D/g, ''));
}

before(async () => {
  e2e = await startE2E({ name: 'editor' });
  websites = (await e2e.graphql('{ websites { id code name } }')).websites;
});

after(async () => {
  await e2e?.stop();
});

let createdId;
let createdRule;

test('create a segment with nested rules: the preview count equals its count after refreshing', async () => {
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/new`);
  await page.getByRole('heading', { level: 1, name: 'New segment' }).waitFor();

  await input(page, 'Name').fill('E2E Swedish regulars');
  await input(page, 'Description').fill('Swedes with repeat orders or wholesale accounts');
  await pickMany(page, input(page, 'Websites'), websites.map((w) => w.name));

  // ALL: country is Sweden; ANY group: 2+ orders in 365 days, or customer group Wholesale.
  await rule(page).getByRole('button', { name: 'Add customer condition' }).last().click();
  await pick(page, input(condition(page, '1'), 'Value'), 'Sweden');
  await rule(page).getByRole('button', { name: 'Add group' }).last().click();
  await pick(page, input(conditionGroup(page, '2'), 'Match'), 'ANY');
  await conditionGroup(page, '2').getByRole('button', { name: 'Add order condition' }).click();
  await input(condition(page, '2.1'), 'Value').fill('2');
  await input(condition(page, '2.1'), 'Within the last N days').fill('365');
  await conditionGroup(page, '2').getByRole('button', { name: 'Add customer condition' }).click();
  await pick(page, input(condition(page, '2.2'), 'Attribute'), 'Customer group');
  await pick(page, input(condition(page, '2.2'), 'Value'), 'Wholesale');

  const preview = await settledPreview(page);
  assert.ok(preview > 0, `the preview counts some customers (${preview})`);
  await expectAccessible(page, 'the segment editor');
  await screenshot(page, 'segment-editor-new');

  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForURL(/\/segments\/\d+$/);
  createdId = page.url().split('/').pop();
  await page.getByRole('heading', { level: 1, name: 'E2E Swedish regulars' }).waitFor();

  createdRule = (await readSegment(createdId)).conditions;
  assert.deepEqual(createdRule, {
    match: 'ALL',
    expect: true,
    conditions: [
      { __typename: 'CustomerCondition', field: 'COUNTRY', operator: 'EQ', values: ['SE'] },
      {
        __typename: 'ConditionGroup',
        match: 'ANY',
        expect: true,
        conditions: [
          { __typename: 'OrderCondition', measure: 'ORDER_COUNT', operator: 'GTE', values: ['2'], withinDays: 365, statuses: null },
          { __typename: 'CustomerCondition', field: 'GROUP', operator: 'EQ', values: ['wholesale'] },
        ],
      },
    ],
  });

  // Refresh from the segment page and wait for the run to finish.
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await page.locator('.mantine-Notification-description', { hasText: 'Refresh finished' }).waitFor({ timeout: 60_000 });
  const saved = await readSegment(createdId);
  assert.equal(saved.membershipStale, false);
  assert.notEqual(saved.refreshedAt, null);
  assert.equal(saved.customerCount, preview, 'the count after refreshing equals the preview');
  await page.getByTestId('customer-count').filter({ hasText: preview.toLocaleString('en-US') }).waitFor();

  // The rule in words and the history table.
  const words = page.getByTestId('rule-in-words');
  await words.getByText('Customers for whom ALL of these are true:').waitFor();
  await words.getByText('country is Sweden', { exact: true }).waitFor();
  await words.getByText('at least 2 orders in the last 365 days').waitFor();
  await words.getByText('customer group is Wholesale').waitFor();
  await page.getByRole('table', { name: 'Member count at each refresh' }).waitFor();
  await expectAccessible(page, 'the segment page');
  await screenshot(page, 'segment-page');
  await closePage(page);
});

test('the editor and the segment page in Swedish', async () => {
  assert.ok(createdId);
  const page = await e2e.newPage({ language: 'sv' });
  await page.goto(`${e2e.origin}/segments/${createdId}`);
  await page.getByRole('link', { name: 'Redigera' }).waitFor();
  await page.getByTestId('rule-in-words').getByText('Kunder för vilka ALLT detta är sant:').waitFor();
  await page.getByTestId('rule-in-words').getByText('land är Sverige', { exact: true }).waitFor();
  await expectAccessible(page, 'the segment page in Swedish');
  await screenshot(page, 'segment-page-sv');

  await page.goto(`${e2e.origin}/segments/${createdId}/edit`);
  await page.getByRole('button', { name: 'Spara segmentet' }).waitFor();
  await settledPreview(page);
  await expectAccessible(page, 'the segment editor in Swedish');
  await screenshot(page, 'segment-editor-sv');
  await closePage(page);
});

test('renaming a segment leaves its rule as it was', async () => {
  assert.ok(createdId);
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/${createdId}/edit`);
  const name = input(page, 'Name');
  await name.waitFor();
  await name.fill('E2E Swedish regulars (renamed)');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForURL(new RegExp(`/segments/${createdId}$`));
  await page.getByRole('heading', { level: 1, name: 'E2E Swedish regulars (renamed)' }).waitFor();
  const saved = await readSegment(createdId);
  assert.equal(saved.name, 'E2E Swedish regulars (renamed)');
  assert.deepEqual(saved.conditions, createdRule);
  assert.equal(saved.membershipStale, false, 'a rename leaves the membership fresh');
  await closePage(page);
});

let duplicateId;

test('duplicate, deactivate and delete from the segment page', async () => {
  assert.ok(createdId);
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/${createdId}`);
  await page.getByRole('link', { name: 'Duplicate' }).click();
  await page.waitForURL(/\/segments\/new\?from=/);
  const name = input(page, 'Name');
  await name.waitFor();
  assert.equal(await name.inputValue(), 'Copy of E2E Swedish regulars (renamed)');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForURL(/\/segments\/\d+$/);
  duplicateId = page.url().split('/').pop();
  assert.notEqual(duplicateId, createdId);
  const copy = await readSegment(duplicateId);
  const original = await readSegment(createdId);
  assert.equal(copy.name, 'Copy of E2E Swedish regulars (renamed)');
  assert.deepEqual(copy.conditions, original.conditions);
  assert.deepEqual(copy.websites, original.websites);

  await page.getByRole('heading', { level: 1, name: 'Copy of E2E Swedish regulars (renamed)' }).waitFor();
  // Beside the incremental Refresh, Full re-evaluation asks for one; the server records it.
  await page.getByRole('button', { name: 'Full re-evaluation' }).click();
  await page.locator('.mantine-Notification-description', { hasText: 'Refresh finished' }).waitFor({ timeout: 60_000 });
  const { auditEvents } = await e2e.graphql(
    `{ auditEvents(first: 5, filter: { actions: ["refresh_requested"] }) { nodes { subjectIds details } } }`,
    undefined,
    'admin',
  );
  const event = auditEvents.nodes.find((e) => e.subjectIds.join() === String(duplicateId));
  assert.ok(event, `a refresh of segment ${duplicateId} was recorded: ${JSON.stringify(auditEvents.nodes)}`);
  assert.equal(JSON.parse(event.details).full, true);

  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('button', { name: 'Activate' }).waitFor();
  assert.equal((await readSegment(duplicateId)).status, 'INACTIVE');

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Delete “Copy of E2E Swedish regulars (renamed)” with its members and history?', { exact: false }).waitFor();
  await expectAccessible(page, 'the delete confirmation');
  await dialog.getByRole('button', { name: 'Delete “Copy of E2E Swedish regulars (renamed)”' }).click();
  await page.waitForURL(/\/segments$/);
  assert.equal(await readSegment(duplicateId), null);
  await closePage(page);
});

test("an invalid value shows the server's message at its condition", async () => {
  const page = await e2e.newPage();
  await page.goto(`${e2e.origin}/segments/new`);
  await input(page, 'Name').fill('E2E invalid');
  await pick(page, input(page, 'Websites'), websites[0].name);
  await rule(page).getByRole('button', { name: 'Add customer condition' }).last().click();
  await pick(page, input(condition(page, '1'), 'Value'), 'Sweden');
  await rule(page).getByRole('button', { name: 'Add group' }).last().click();
  await conditionGroup(page, '2').getByRole('button', { name: 'Add customer condition' }).click();
  const bad = condition(page, '2.1');
  await pick(page, input(bad, 'Attribute'), 'Days since sign-up');
  await pick(page, input(bad, 'Operator'), 'is between');
  await input(bad, 'From').fill('30');
  await input(bad, 'To').fill('10');

  // What the server says about this rule.
  const answer = await e2e.graphqlRaw(
    `query ($w: [ID!]!, $c: ConditionGroupInput!) { previewSegmentCount(websiteIds: $w, conditions: $c) }`,
    {
      w: [websites[0].id],
      c: {
        match: 'ALL',
        conditions: [
          { customer: { field: 'COUNTRY', operator: 'EQ', values: ['SE'] } },
          { group: { conditions: [{ customer: { field: 'DAYS_SINCE_SIGNUP', operator: 'BETWEEN', values: ['30', '10'] } }] } },
        ],
      },
    },
  );
  const error = answer.errors?.[0];
  assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(error?.extensions?.condition, 'conditions[1].conditions[0]');

  await page.getByRole('button', { name: 'Save segment' }).click();
  await bad.getByRole('alert').filter({ hasText: error.message }).waitFor();
  assert.equal(await condition(page, '1').getByRole('alert').count(), 0);
  assert.match(page.url(), /\/segments\/new$/);
  await screenshot(page, 'segment-editor-error');
  await closePage(page);
});
