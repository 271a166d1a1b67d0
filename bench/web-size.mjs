// The web UI's weight (issue 15): the JavaScript the chat page loads, gzipped,
// against the 250 KB budget. The chat page loads index.html's entry script and
// what it preloads; the console is a lazy chunk and not counted for it.
//
//   node bench/web-size.mjs

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildWeb } from '../scripts/build-web.mjs';

const BUDGET_KB = 250;
const dist = fileURLToPath(new URL('../apps/web/dist', import.meta.url));

buildWeb();
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const loaded = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]);
const sizeOf = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const chat = loaded.map(sizeOf);
const lazy = readdirSync(join(dist, 'assets'))
  .map((name) => `assets/${name}`)
  .filter((file) => !loaded.includes(file) && file.endsWith('.js'))
  .map(sizeOf);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const js = chat.filter((entry) => entry.file.endsWith('.js'));
const jsGzip = js.reduce((sum, entry) => sum + entry.gzip, 0);

console.log('web UI: the chat page loads');
for (const entry of chat) console.log(`  ${entry.file}  ${kb(entry.raw)} raw, ${kb(entry.gzip)} gzipped`);
console.log('loaded later (lazy chunks)');
for (const entry of lazy) console.log(`  ${entry.file}  ${kb(entry.raw)} raw, ${kb(entry.gzip)} gzipped`);
console.log(
  `chat page JavaScript: ${kb(jsGzip)} gzipped (budget ${BUDGET_KB} KB): ${jsGzip <= BUDGET_KB * 1024 ? 'within' : 'OVER'}`,
);
if (jsGzip > BUDGET_KB * 1024) process.exitCode = 1;
