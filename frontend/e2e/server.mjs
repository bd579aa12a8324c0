// The real server (bin/segments) on a fresh database of its own, for the
// end-to-end tests. DATABASE_URL (set by `make test-e2e` and `make
// test-http`) names the PostgreSQL to create that database in.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.DATABASE_URL;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Runs SQL on the PostgreSQL of DATABASE_URL, or on its database `db`. */
export function psql(sql, db) {
  const url = db ? Object.assign(new URL(base), { pathname: `/${db}` }).toString() : base;
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { stdio: 'inherit' });
}

/**
 * Creates the database `name`, runs `bin/segments` with each of `setup`'s
 * argument lists (such as a seed), then serves it on a free port until
 * stop(). `env` adds settings; export files go to a private folder.
 * segments(args, input) runs another command on the same database (input
 * on its stdin, such as a password) and returns its stdout.
 */
export async function startServer({ name, env: extra = {}, setup = [] }) {
  if (!base) throw new Error('DATABASE_URL is not set: run the tests through make');
  const dbURL = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'segments-e2e-'));
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  // METRICS_ADDR off: servers may run side by side, and none needs the metrics port.
  // LOG_LEVEL warn: a line per request would bury the tests' own output.
  const env = { ...process.env, DATABASE_URL: dbURL, DATA_DIR: dataDir, METRICS_ADDR: 'off', LOG_LEVEL: 'warn', ...extra };
  for (const args of setup) execFileSync('bin/segments', args, { env, stdio: 'inherit' });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn('bin/segments', ['serve', '--addr', `127.0.0.1:${port}`], { env, stdio: 'inherit' });
  const stop = async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((r) => server.on('exit', r));
    psql(`DROP DATABASE IF EXISTS ${name}`);
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 150) {
      await stop();
      throw new Error('server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const segments = (args, input) =>
    execFileSync('bin/segments', args, { env, input, stdio: ['pipe', 'pipe', 'inherit'] }).toString();
  return { origin, dataDir, stop, segments };
}
