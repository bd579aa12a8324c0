// GraphQL over HTTP conformance: graphql-http's audit suite (every MUST and
// SHOULD) against the real server (bin/segments) on a fresh database. Run by
// `make test-http`, which builds the binary and provides DATABASE_URL.
// The API needs credentials: the audit sends an API token (as scripts do,
// so GET queries are allowed), written straight into the database as only
// its SHA-256, like the server stores tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { auditServer } from 'graphql-http';
import { startServer, psql } from './server.mjs';

let server;
const token = `seg_${randomBytes(32).toString('base64url')}`;

before(async () => {
  const name = `segments_audit_${process.pid}`;
  // The audit sends its requests at once: no per-token rate limit here.
  server = await startServer({ name, env: { TOKEN_RATE: '0' } });
  psql(
    `INSERT INTO api_tokens (name, secret_sha256, role, created_by) ` +
      `VALUES ('graphql-http audit', sha256(convert_to('${token}', 'UTF8')), 'admin', 'cli')`,
    name,
  );
});

after(async () => {
  await server?.stop();
});

test('every MUST and SHOULD of the GraphQL over HTTP audit passes', async () => {
  const fetchFn = (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  };
  const results = await auditServer({ url: `${server.origin}/graphql`, fetchFn });
  const counts = {};
  const failed = [];
  for (const r of results) {
    const level = r.name.split(' ')[0]; // MUST, SHOULD or MAY
    counts[level] ??= { ok: 0, failed: 0 };
    if (r.status === 'ok') {
      counts[level].ok++;
    } else {
      counts[level].failed++;
      // A MAY is optional: reported, not required.
      if (level === 'MAY') console.log('optional audit not met:', r.id, r.name, r.reason);
      else failed.push(`${r.id} ${r.name}: ${r.reason}`);
    }
  }
  console.log('graphql-http audit:', JSON.stringify(counts));
  assert.deepEqual(failed, []);
});
