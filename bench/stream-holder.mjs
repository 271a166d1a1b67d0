// A load generator's process for bench/streams.mjs: opens one SSE stream per
// run id (GET /v1/responses/{id}?stream=true) and holds them, timing each
// heartbeat (`: keep-alive`). Arguments: one JSON object { url, key, ids }.
// Prints {"opened": n, "failed": n} once every stream is open (or failed);
// on a line "report" on stdin, prints the gaps between heartbeats seen since
// the last report; closes everything when stdin ends.
import { request } from 'node:http';
import { createInterface } from 'node:readline';

const { url, key, ids } = JSON.parse(process.argv[2]);
const OPENING_AT_ONCE = 200;
const streams = [];
let gaps = [];
let failed = 0;

function open(id) {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/responses/${id}?stream=true`, {
      agent: false,
      headers: { authorization: `Bearer ${key}` },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        resolve();
        return;
      }
      let last;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        if (!chunk.includes(': keep-alive')) return;
        const at = performance.now();
        if (last !== undefined) gaps.push(at - last);
        last = at;
      });
      res.on('error', () => undefined);
      streams.push(req);
      resolve();
    });
    req.on('error', () => {
      failed++;
      resolve();
    });
    req.end();
  });
}

let next = 0;
await Promise.all(
  Array.from({ length: OPENING_AT_ONCE }, async () => {
    while (next < ids.length) await open(ids[next++]);
  }),
);
process.stdout.write(`${JSON.stringify({ opened: streams.length, failed })}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line !== 'report') return;
  process.stdout.write(`${JSON.stringify({ gaps })}\n`);
  gaps = [];
});
lines.on('close', () => {
  for (const req of streams) req.destroy();
  process.exit(0);
});
