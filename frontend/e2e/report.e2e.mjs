// Browser test: the real server (bin/segments) on a fresh database, driven
// by headless Chromium through playwright-core. Run by `make test-e2e`,
// which builds the binary and provides DATABASE_URL (a private PostgreSQL).
// Users are made with `segments user create` (password on stdin); the report
// tests share one signed-in session (a storage state with its cookie), and
// their setup queries use an API token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

let server;
let browser;
let origin;
/** A signed-in editor's cookie, for browser contexts. */
let signedIn;
/** An API token for the tests' own GraphQL queries. */
let token;
/** An admin's API token, for creating users as an admin would. */
let adminToken;

const editor = { email: 'editor@example.com', password: 'e2e editor password' };
// Its own account, so its failed attempts do not count against the editor's
// sign-in rate limit (5 a minute per account).
const analyst = { email: 'analyst@example.com', password: 'e2e analyst password' };

// count formats a number as the grid shows it (1,602).
const count = (n) => n.toLocaleString('en-US');

async function graphql(query, variables, secret = token) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

before(async () => {
  server = await startServer({
    name: `segments_e2e_${process.pid}`,
    env: { STORE_TIMEZONE: 'Europe/Stockholm' },
    setup: [['seed', '--customers', '3000', '--orders', '12000']],
  });
  origin = server.origin;
  server.segments(['user', 'create', '--email', editor.email, '--role', 'editor'], `${editor.password}\n`);
  server.segments(['user', 'create', '--email', analyst.email, '--role', 'analyst'], `${analyst.password}\n`);
  token = server.segments(['token', 'create', '--name', 'e2e', '--role', 'editor']).trim();
  adminToken = server.segments(['token', 'create', '--name', 'e2e-admin', '--role', 'admin']).trim();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  signedIn = await signInState(editor);
});

/** Signs in through POST /auth/sign-in and returns the browser state holding the session cookie. */
async function signInState({ email, password }) {
  const context = await browser.newContext();
  const res = await context.request.post(`${origin}/auth/sign-in`, {
    data: { email, password },
    headers: { Origin: origin },
  });
  assert.equal(res.status(), 200, await res.text());
  const state = await context.storageState();
  await context.close();
  return state;
}

/** A page in a browser context of its own that shares the editor's session. */
async function signedInPage() {
  const context = await browser.newContext({ storageState: signedIn });
  return context.newPage();
}

/** A page in a fresh browser context: nobody signed in. */
async function anonymousPage() {
  const context = await browser.newContext();
  return context.newPage();
}

async function closePage(page) {
  await page.context().close();
}

async function signInWithForm(page, { email, password }) {
  await page.getByRole('heading', { level: 1, name: 'Sign in to Segments' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: false }).first().fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the report lists every segment and sorts by customer count', async () => {
  const { segments } = await graphql('{ segments(first: 200) { totalCount nodes { id name customerCount } } }');
  const page = await signedInPage();
  await page.goto(`${origin}/`);
  await page.getByRole('heading', { name: 'Customer Segments Report' }).waitFor();
  await page.getByText(`${count(segments.totalCount)} records found`).first().waitFor();
  for (const s of segments.nodes) {
    await page.getByRole('cell', { name: s.name, exact: true }).waitFor();
  }
  await page.getByRole('columnheader', { name: /Customers/ }).getByRole('button').click();
  // The grid has taken the first click before the second one toggles it.
  await page.locator('[aria-sort="ascending"]', { hasText: 'Customers' }).waitFor();
  await page.getByRole('columnheader', { name: /Customers/ }).getByRole('button').click();
  await page.waitForURL(/dir=desc/i);
  const biggest = [...segments.nodes].sort((a, b) => b.customerCount - a.customerCount || b.id - a.id)[0];
  // Row 0 is the header, row 1 the filter row.
  const firstRow = page.getByRole('row').nth(2);
  await firstRow.getByRole('cell', { name: biggest.name, exact: true }).waitFor();
  await closePage(page);
});

test('selecting two segments drills into their intersection, pages, and survives a reload', async () => {
  const { segments } = await graphql(
    '{ segments(first: 2, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { nodes { id name } } }',
  );
  const ids = segments.nodes.map((s) => s.id);
  const names = segments.nodes.map((s) => s.name);
  const { segmentCustomers } = await graphql(
    'query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, mode: INTERSECTION, first: 20) { totalCount nodes { id email } } }',
    { ids },
  );
  assert.ok(segmentCustomers.totalCount > 20, 'the two biggest demo segments share more than a page of customers');

  const page = await signedInPage();
  await page.goto(`${origin}/segments`);
  for (const name of names) await page.getByRole('checkbox', { name: `Select segment ${name}`, exact: true }).check();
  await page.getByText('Intersection', { exact: true }).click();
  await page.getByRole('button', { name: 'View customers' }).click();
  await page.waitForURL(/\/segments\/[\d,]+\/customers\?.*mode=intersection/);
  await page.getByText(`${count(segmentCustomers.totalCount)} records found`).first().waitFor();
  await page.getByRole('cell', { name: segmentCustomers.nodes[0].email, exact: true }).waitFor();

  await page.getByRole('button', { name: 'Next' }).first().click();
  await page.getByRole('cell', { name: segmentCustomers.nodes[0].email, exact: true }).waitFor({ state: 'detached' });

  await page.reload();
  await page.getByText(`${count(segmentCustomers.totalCount)} records found`).first().waitFor();
  for (const s of segments.nodes) await page.getByText(s.name).first().waitFor();
  await closePage(page);
});

test('the customer list sorts by name on the server', async () => {
  const { segments } = await graphql('{ segments(first: 1, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { nodes { id } } }');
  const id = segments.nodes[0].id;
  const { segmentCustomers } = await graphql(
    'query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 5, orderBy: {field: NAME, direction: DESC}) { nodes { email } } }',
    { ids: [id] },
  );
  const page = await signedInPage();
  await page.goto(`${origin}/segments/${id}/customers`);
  await page.getByText('records found').first().waitFor();
  const name = page.getByRole('columnheader', { name: /Name/ }).getByRole('button');
  await name.click();
  await page.waitForURL(/sort=NAME/);
  // The grid has taken the first click before the second one toggles it.
  await page.locator('[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
  await name.click();
  await page.waitForURL(/dir=desc/i);
  const firstRow = page.getByRole('row').nth(1);
  await firstRow.getByRole('cell', { name: segmentCustomers.nodes[0].email, exact: true }).waitFor();
  await closePage(page);
});

test('exporting a segment\'s customers to CSV downloads every row', async () => {
  const { segments } = await graphql('{ segments(first: 1, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { nodes { id } } }');
  const id = segments.nodes[0].id;
  const { segmentCustomers } = await graphql(
    'query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 1, orderBy: {field: ID, direction: ASC}) { totalCount nodes { id } } }',
    { ids: [id] },
  );
  assert.ok(segmentCustomers.totalCount > 0, 'the biggest demo segment has customers');

  const page = await signedInPage();
  await page.goto(`${origin}/segments/${id}/customers`);
  await page.getByText(`${count(segmentCustomers.totalCount)} records found`).first().waitFor();
  await page.getByLabel('Export to:').selectOption('CSV');
  const downloading = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /\.csv$/);
  const bytes = readFileSync(await download.path());
  await page.getByRole('link', { name: /Download again/ }).waitFor();
  await closePage(page);

  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
  // The demo data has no line breaks inside cells, so a line is a row.
  const lines = bytes.subarray(3).toString('utf8').split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  assert.equal(lines[0], 'ID,Name,Email,Group,Phone,ZIP,Country,State/Province,Customer Since');
  assert.equal(lines.length - 1, segmentCustomers.totalCount, 'one data row per customer');
  assert.ok(lines[1].startsWith(`${segmentCustomers.nodes[0].id},`), 'sorted by ID as the grid is');
});

test('GraphiQL is served from the binary', async () => {
  const page = await signedInPage();
  await page.goto(`${origin}/graphiql`);
  await page.locator('.graphiql-container').waitFor();
  await closePage(page);
});

test('signing in shows the report; signing out removes it, and Back does not bring it back', async () => {
  const { segments } = await graphql('{ segments(first: 1, orderBy: {field: NAME, direction: ASC}) { nodes { name } } }');
  const firstSegment = segments.nodes[0].name;
  const page = await anonymousPage();
  await page.goto(`${origin}/segments?sort=NAME`);
  await page.waitForURL(/\/sign-in\?next=/);
  assert.equal(await page.getByRole('heading', { name: 'Customer Segments Report' }).count(), 0);

  await signInWithForm(page, editor);
  await page.waitForURL(`${origin}/segments?sort=NAME`);
  await page.getByRole('heading', { name: 'Customer Segments Report' }).waitFor();
  await page.getByText('records found').first().waitFor();
  await page.getByText(`Signed in as ${editor.email} (Editor, all websites)`).waitFor();
  // Into the segment's customers, so that Back has the report to go back to.
  await page.getByRole('link', { name: `Customers of ${firstSegment}`, exact: true }).click();
  await page.waitForURL(/\/segments\/\d+\/customers/);
  await page.getByText('records found').first().waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in to Segments' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.equal(await page.getByText('records found').count(), 0);
  assert.equal(await page.getByText(firstSegment, { exact: true }).count(), 0);
  // The session ended on the server too.
  assert.equal((await page.request.get(`${origin}/auth/session`)).status(), 401);

  await page.goBack();
  await page.waitForURL(/\/sign-in\?next=%2Fsegments%3Fsort%3DNAME$/);
  await page.getByRole('heading', { level: 1, name: 'Sign in to Segments' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Customer Segments Report' }).count(), 0);
  assert.equal(await page.getByText('records found').count(), 0);
  assert.equal(await page.getByText(firstSegment, { exact: true }).count(), 0);
  await closePage(page);
});

test('a wrong password says so and signs nobody in', async () => {
  const page = await anonymousPage();
  await page.goto(`${origin}/sign-in`);
  await signInWithForm(page, { email: analyst.email, password: 'not the password' });
  await page.getByText('Wrong email or password.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.equal(await page.getByLabel('Password', { exact: false }).first().inputValue(), '');
  assert.equal((await page.request.get(`${origin}/auth/session`)).status(), 401);
  await closePage(page);
});

test('GraphiQL asks to sign in first and opens after it', async () => {
  const page = await anonymousPage();
  await page.goto(`${origin}/graphiql`);
  await page.waitForURL(/\/sign-in\?next=%2Fgraphiql$/);
  await signInWithForm(page, editor);
  await page.waitForURL(`${origin}/graphiql`);
  await page.locator('.graphiql-container').waitFor();
  await closePage(page);
});

test('an analyst sees segments, and a plain refusal instead of customers', async () => {
  const { segments } = await graphql('{ segments(first: 1, orderBy: {field: CUSTOMER_COUNT, direction: DESC}) { nodes { id name } } }');
  const { id, name } = segments.nodes[0];
  const { segmentCustomers } = await graphql(
    'query($ids: [ID!]!) { segmentCustomers(segmentIds: $ids, first: 1) { nodes { email } } }',
    { ids: [id] },
  );
  const page = await anonymousPage();
  await page.goto(`${origin}/segments`);
  await signInWithForm(page, analyst);
  await page.getByText(`Signed in as ${analyst.email} (Analyst, all websites)`).waitFor();
  await page.getByRole('cell', { name, exact: true }).waitFor();

  await page.goto(`${origin}/segments/${id}/customers`);
  // Counts, not rows: the drill-down explains instead of listing customers.
  await page.getByText(/Your role \(Analyst\) shows how many customers match/).waitFor();
  assert.equal(new URL(page.url()).pathname, `/segments/${id}/customers`, 'still signed in, on the same screen');
  assert.equal(await page.getByText(segmentCustomers.nodes[0].email).count(), 0);
  await closePage(page);
});

test('a user whose password an admin set must choose a new one before the report', async () => {
  // Users made with the CLI keep their password; one an admin creates does not.
  const newcomer = { email: 'newcomer@example.com', password: 'admin chose this one' };
  const { createUser } = await graphql(
    'mutation($in: CreateUserInput!) { createUser(input: $in) { mustChangePassword } }',
    { in: { email: newcomer.email, role: 'EDITOR', password: newcomer.password } },
    adminToken,
  );
  assert.equal(createUser.mustChangePassword, true);

  const page = await anonymousPage();
  await page.goto(`${origin}/segments`);
  await signInWithForm(page, newcomer);
  await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Customer Segments Report' }).count(), 0);
  // The server refuses the report to this session too, not just the app.
  const refused = await page.request.post(`${origin}/graphql`, {
    data: { query: '{ segments(first: 1) { totalCount } }' },
    headers: { Origin: origin },
  });
  const refusal = await refused.json();
  assert.equal(refusal.errors[0].extensions.code, 'FORBIDDEN', JSON.stringify(refusal));

  const chosen = 'the newcomer chose this';
  await page.getByLabel(/^Current password/).fill(newcomer.password);
  await page.getByLabel(/^New password/).fill(chosen);
  await page.getByLabel(/^Repeat the new password/).fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();

  await page.getByRole('heading', { name: 'Customer Segments Report' }).waitFor();
  await page.getByText('records found').first().waitFor();
  await page.getByText(`Signed in as ${newcomer.email} (Editor, all websites)`).waitFor();
  const session = await (await page.request.get(`${origin}/auth/session`)).json();
  assert.equal(session.viewer.mustChangePassword, false);
  await closePage(page);
});
