// Prints how much JavaScript the app's first page load fetches (the entry
// script and the chunks index.html preloads), gzipped, and fails the build
// when it passes the budget: screens beyond the report are lazy-loaded, and
// GraphiQL is a page of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budget = 300 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of new Set(files)) total += gzipSync(readFileSync(join(dist, file))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`initial JS of the app: ${kb(total)} gzipped in ${files.length} files (budget ${kb(budget)})`);
if (total > budget) {
  console.error('the initial JS is over budget: lazy-load the screen that grew it');
  process.exit(1);
}
