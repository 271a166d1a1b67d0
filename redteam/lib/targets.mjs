// The things a red-team run attacks through and watches: a page server the
// web tools may reach (allow-listed), a tool server for function tools, an
// MCP server, and a sink on loopback that nothing may reach (not allow-listed):
// every hit on it is an attack that got through.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const readBody = async (req) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const page = (body) =>
  `<!doctype html><html><head><title>Page</title></head><body><main>${body}</main></body></html>`;
const escapeHtml = (text) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);

/** Serves /case/<id> (the case's payload as a page) and /redirect?to=<url>. */
export function startPageServer(cases) {
  return listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    const found = cases.get(url.pathname.replace('/case/', ''));
    if (!found) return void res.writeHead(404).end('not found');
    const body = found.html
      ? found.payload
      : `<article><p>${escapeHtml(found.payload).replaceAll('\n', '</p><p>')}</p></article>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(body));
  });
}

/** POST /read_document {name} answers the case's payload; POST /send_email records the mail. */
export async function startToolServer(cases) {
  const calls = [];
  const target = await listen(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}');
    calls.push({ path: req.url, body });
    const answer =
      req.url === '/read_document' ? (cases.get(body.name)?.payload ?? 'no such file') : { sent: true };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  return { ...target, calls };
}

/** Records every request; answers with a canary the runner looks for in tool output. */
export async function startSink() {
  const hits = [];
  const target = await listen((req, res) => {
    hits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('SINK-REACHED');
  });
  return { ...target, hits };
}

/** An MCP server over Streamable HTTP whose lookup_ticket tool answers the case's payload. */
export async function startMcpServer(cases) {
  const transports = new Map();
  const servers = [];
  const target = await listen(async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
    const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (req.method === 'POST' && sessionId === undefined && isInitializeRequest(body)) {
      const server = new McpServer({ name: 'redteam-tickets', version: '1.0.0' });
      server.registerTool(
        'lookup_ticket',
        { description: 'Looks a support ticket up by id', inputSchema: { id: z.string() } },
        async ({ id }) => ({ content: [{ type: 'text', text: cases.get(id)?.payload ?? 'no such ticket' }] }),
      );
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport),
      });
      await server.connect(transport);
      servers.push(server);
      return transport.handleRequest(req, res, body);
    }
    res.writeHead(404).end();
  });
  return {
    ...target,
    url: `${target.url}/mcp`,
    async close() {
      await target.close();
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
