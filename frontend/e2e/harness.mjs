// Shared set-up of the browser tests: the real server on a seeded database
// of its own (server.mjs), users made with the CLI, headless Chromium
// through playwright-core, the API for a test's own queries, an axe check
// and screenshots. Each *.e2e.mjs file calls startE2E() in before() and
// e2e.stop() in after().
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

/** Where screenshots go (git-ignored; CI keeps them as artifacts). */
export const artifactsDir = join(import.meta.dirname, 'artifacts');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Users every e2e server has: one per role, each with its own password (sign-in limits are per account). */
export const users = {
  admin: { email: 'admin@example.com', password: 'e2e admin password', role: 'admin' },
  editor: { email: 'editor@example.com', password: 'e2e editor password', role: 'editor' },
  viewer: { email: 'viewer@example.com', password: 'e2e viewer password', role: 'viewer' },
  analyst: { email: 'analyst@example.com', password: 'e2e analyst password', role: 'analyst' },
};

/**
 * Starts a server named `name` (a database of its own), seeded with
 * `customers`/`orders` demo data, with a user per role and an API token per
 * role, and a browser. `env` adds server settings (e.g. STORE_LOCALE).
 */
export async function startE2E({ name, env = {}, customers = 3000, orders = 12000 }) {
  const server = await startServer({
    name: `segments_e2e_${name}_${process.pid}`,
    env: { STORE_TIMEZONE: 'Europe/Stockholm', ...env },
    setup: [['seed', '--customers', String(customers), '--orders', String(orders)]],
  });
  const { origin } = server;
  const tokens = {};
  for (const [key, user] of Object.entries(users)) {
    server.segments(['user', 'create', '--email', user.email, '--role', user.role], `${user.password}\n`);
    tokens[key] = server.segments(['token', 'create', '--name', `e2e-${key}`, '--role', user.role]).trim();
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
  const states = {};

  /** Runs a GraphQL operation with a role's API token (default editor); fails the test on errors. */
  async function graphql(query, variables, role = 'editor') {
    const body = await graphqlRaw(query, variables, role);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  }

  /** Runs a GraphQL operation and returns the whole response body (data and errors). */
  async function graphqlRaw(query, variables, role = 'editor') {
    const res = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[role]}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json();
  }

  /** The browser storage state of a signed-in user of this role (signed in once, then reused). */
  async function signedInState(role) {
    if (!states[role]) {
      const context = await browser.newContext();
      const res = await context.request.post(`${origin}/auth/sign-in`, {
        data: { email: users[role].email, password: users[role].password },
        headers: { Origin: origin },
      });
      assert.equal(res.status(), 200, await res.text());
      states[role] = await context.storageState();
      await context.close();
    }
    return states[role];
  }

  /**
   * A page in a browser context of its own, signed in as `role` (null:
   * nobody), in `language` ('en' unless told), `width` px wide.
   */
  async function newPage({ role = 'editor', language = 'en', width = 1280, height = 900 } = {}) {
    const context = await browser.newContext({
      storageState: role ? await signedInState(role) : undefined,
      viewport: { width, height },
      acceptDownloads: true,
    });
    await context.addInitScript((lang) => localStorage.setItem('segments.language', lang), language);
    return context.newPage();
  }

  async function stop() {
    await browser.close();
    await server.stop();
  }

  return { server, origin, browser, tokens, users, graphql, graphqlRaw, newPage, signedInState, stop };
}

/** Closes a page and its browser context. */
export async function closePage(page) {
  await page.context().close();
}

/**
 * Checks the page with axe (WCAG 2.1 A and AA rules), once its transitions
 * have ended, and fails the test on any serious or critical violation,
 * naming each with its elements.
 */
export async function expectAccessible(page, screen) {
  // A modal closing or opening fades: checked mid-way, its text fails the
  // contrast rule. Wait for finite transitions to end (spinners run forever).
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 5_000 },
  );
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe found serious or critical violations on ${screen}`,
  );
}

/** Saves a full-page screenshot as artifacts/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}
