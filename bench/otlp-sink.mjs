// A local OTLP/HTTP receiver for bench/tracing.mjs, in its own process as a
// collector would be: takes POST /v1/traces (JSON or protobuf), counts the
// spans of JSON bodies (in all, and by kind and the first word of their name),
// answers 200. Prints one JSON line with its URL; on a line on stdin prints
// the counts so far.
import { createServer } from 'node:http';

let spans = 0;
let requests = 0;
/** Spans by `kind name's-first-word` (e.g. `3 chat`, `3 POST`: CLIENT is 3, SERVER 2, INTERNAL 1). */
const byKind = {};
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  requests++;
  if ((req.headers['content-type'] ?? '').includes('json')) {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const resource of body.resourceSpans ?? []) {
      for (const scope of resource.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          spans++;
          const key = `${span.kind} ${String(span.name).split(' ')[0]}`;
          byKind[key] = (byKind[key] ?? 0) + 1;
        }
      }
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('data', () => process.stdout.write(`${JSON.stringify({ spans, requests, byKind })}\n`));
process.stdin.on('end', () => process.exit(0));
