// A local OTLP/HTTP receiver for bench/tracing.mjs, in its own process as a
// collector would be: takes POST /v1/traces (JSON or protobuf), counts the
// spans of JSON bodies, answers 200. Prints one JSON line with its URL; on a
// line on stdin prints the count so far.
import { createServer } from 'node:http';

let spans = 0;
let requests = 0;
const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  requests++;
  if ((req.headers['content-type'] ?? '').includes('json')) {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const resource of body.resourceSpans ?? []) {
      for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
    }
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on('data', () => process.stdout.write(`${JSON.stringify({ spans, requests })}\n`));
process.stdin.on('end', () => process.exit(0));
