// The little HTTP server every stub shares: JSON in and out, a port from
// PORT (default 8080; 0 picks a free one), a line on stdout once it listens
// (`<name> listening on http://host:port`), a clean stop on SIGTERM/SIGINT.
// Only Node's own modules: the stubs run in a plain node image, nothing to install.
import { createServer } from 'node:http';

const MAX_BODY = 64 * 1024;

/** Reads a JSON body (at most 64 KiB); undefined when there is none. */
export async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'the body is larger than 64 KiB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

/** Serves `handle(req, res, url)`; an HttpError becomes its status with `{"error": message}`. */
export function serve(name, handle) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    try {
      if (req.method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
      await handle(req, res, url);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (!res.headersSent) sendJson(res, status, { error: error.message });
    }
  });
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '0.0.0.0';
  server.listen(port, host, () => {
    const address = server.address();
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
    console.log(`${name} listening on http://${shown}:${address.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}
