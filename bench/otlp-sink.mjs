// A local OTLP/HTTP receiver for bench/tracing.mjs, in its own process as a
// collector would be: takes POST /v1/traces (protobuf or JSON), counts the
// spans (in all, and by kind and the first word of their name), answers 200.
// Prints one JSON line with its URL; on a line on stdin prints the counts so far.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

// The protobuf types the exporter encodes with (the OpenTelemetry packages' generated code).
const require = createRequire(new URL('../packages/server/package.json', import.meta.url));
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

let spans = 0;
let requests = 0;
const bytes = { json: 0, protobuf: 0 };
/** Spans by `kind name's-first-word` (e.g. `3 chat`, `3 POST`: CLIENT is 3, SERVER 2, INTERNAL 1). */
const byKind = {};
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const data = Buffer.concat(chunks);
  requests++;
  const json = (req.headers['content-type'] ?? '').includes('json');
  bytes[json ? 'json' : 'protobuf'] += data.length;
  const body = json ? JSON.parse(data.toString('utf8')) : Request.decode(data);
  for (const resource of body.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans++;
        const key = `${span.kind} ${String(span.name).split(' ')[0]}`;
        byKind[key] = (byKind[key] ?? 0) + 1;
      }
    }
  }
  res
    .writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' })
    .end(json ? '{}' : '');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('data', () =>
  process.stdout.write(`${JSON.stringify({ spans, requests, bytes, byKind })}\n`),
);
process.stdin.on('end', () => process.exit(0));
