import { fileURLToPath } from 'node:url';
import { describeToolAdapterContract } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';
import { createMcpAdapter, createOpenApiAdapter } from '../../src/index.js';
import { type LoopbackServer, startLoopbackServer } from './support/loopback-server.js';
import { waitFor } from './support/tool-context.js';

// The ToolAdapter contract on the other two adapter kinds with a real remote side: an OpenAPI
// service over HTTP (its document given inline) and an MCP server over stdio (a child process).
// HTTP, MCP over Streamable HTTP and built-in run it in tool-adapter-contract.test.ts.

const ARGUMENT = (name: string) => ({
  name,
  in: 'query',
  required: true,
  content: { 'application/json': { schema: {} } },
});

/** Each argument a JSON-encoded query parameter; the service answers with the parameters it got, decoded. */
const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Contract', version: '1' },
  paths: {
    '/echo': {
      get: {
        operationId: 'echo',
        parameters: ['q', 'n', 'tags', 'nested'].map(ARGUMENT),
        responses: { '200': { description: 'the arguments' } },
      },
    },
    '/slow': {
      get: { operationId: 'slow', responses: { '200': { description: 'never, until cancelled' } } },
    },
    '/fail': { get: { operationId: 'failing', responses: { '500': { description: 'broken' } } } },
  },
};

let openapi: LoopbackServer;
const openapiSlow = { started: 0, closed: 0 };
let reports: LoopbackServer;
const stdioSlow = { started: 0, cancelled: 0 };

beforeAll(async () => {
  openapi = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://service');
    if (url.pathname === '/echo') {
      const got = Object.fromEntries([...url.searchParams].map(([key, value]) => [key, JSON.parse(value)]));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(got));
    } else if (url.pathname === '/slow') {
      openapiSlow.started++;
      res.on('close', () => {
        if (!res.writableFinished) openapiSlow.closed++;
      });
    } else {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('the service broke');
    }
  });
  reports = await startLoopbackServer((req, res) => {
    if (req.url === '/started') stdioSlow.started++;
    if (req.url === '/cancelled') stdioSlow.cancelled++;
    res.writeHead(204).end();
  });
});
afterAll(async () => {
  await openapi?.close();
  await reports?.close();
});

describeToolAdapterContract('OpenAPI adapter', {
  open: (role) => ({
    adapter: createOpenApiAdapter({
      name: 'contract',
      adapter: { type: 'openapi', document: DOCUMENT, server_url: openapi.url },
    }),
    tool: role,
  }),
  echoed: (output) => JSON.parse(output),
  slowCallStarted: () => waitFor(() => openapiSlow.started > 0).then(() => undefined),
  slowCallEnded: () => waitFor(() => openapiSlow.closed > 0).then(() => undefined),
});

const stdioAdapters: { close(): Promise<void> }[] = [];
describeToolAdapterContract('MCP adapter over stdio', {
  open: async (role) => {
    const adapter = createMcpAdapter({
      name: 'local',
      adapter: {
        type: 'mcp',
        transport: 'stdio',
        command: process.execPath,
        args: [fileURLToPath(new URL('./support/contract-stdio-server.mjs', import.meta.url))],
        env: { CONTRACT_REPORT_URL: reports.url },
      },
    });
    stdioAdapters.push(adapter);
    await adapter.start();
    return { adapter, tool: role };
  },
  echoed: (output) => JSON.parse(output),
  slowCallStarted: () => waitFor(() => stdioSlow.started > 0).then(() => undefined),
  slowCallEnded: () => waitFor(() => stdioSlow.cancelled > 0).then(() => undefined),
  close: async () => {
    await Promise.all(stdioAdapters.map((adapter) => adapter.close()));
  },
});
