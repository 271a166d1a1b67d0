import type { ToolContext } from '@agentd/spec';
import { describeToolAdapterContract } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  type BuiltinTool,
  createBuiltinAdapter,
  createHttpAdapter,
  createMcpAdapter,
} from '../../src/index.js';
import { registerContractTools } from './support/contract-mcp-tools.mjs';
import { type LoopbackServer, readBody, startLoopbackServer } from './support/loopback-server.js';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';
import { waitFor } from './support/tool-context.js';

// Each adapter kind with a real remote side: an HTTP endpoint, an MCP server over Streamable HTTP,
// built-in tools in this process.

let http: LoopbackServer;
const httpSlow = { started: 0, closed: 0 };
let mcp: McpHttpServer;
const mcpSlow = { started: 0, cancelled: 0 };
const builtinSlow = { started: 0, ended: 0 };

beforeAll(async () => {
  http = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    } else if (req.url === '/slow') {
      httpSlow.started++;
      res.on('close', () => {
        if (!res.writableFinished) httpSlow.closed++;
      });
    } else {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('the service broke');
    }
  });
  mcp = await startMcpHttpServer((server) =>
    registerContractTools(server, {
      started: () => mcpSlow.started++,
      cancelled: () => mcpSlow.cancelled++,
    }),
  );
});
afterAll(async () => {
  await http?.close();
  await mcp?.stop();
});

describeToolAdapterContract('HTTP adapter', {
  open: (role) => ({
    adapter: createHttpAdapter({
      name: `http_${role}`,
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: `${http.url}/${role === 'failing' ? 'fail' : role}` },
    }),
    tool: `http_${role}`,
  }),
  echoed: (output) => JSON.parse(output),
  slowCallStarted: () => waitFor(() => httpSlow.started > 0).then(() => undefined),
  slowCallEnded: () => waitFor(() => httpSlow.closed > 0).then(() => undefined),
});

const mcpAdapters: { close(): Promise<void> }[] = [];
describeToolAdapterContract('MCP adapter over Streamable HTTP', {
  open: async (role) => {
    const adapter = createMcpAdapter({
      name: 'remote',
      adapter: { type: 'mcp', transport: 'http', url: mcp.url },
    });
    mcpAdapters.push(adapter);
    await waitFor(() => adapter.health() === 'healthy');
    return { adapter, tool: role };
  },
  echoed: (output) => JSON.parse(output),
  slowCallStarted: () => waitFor(() => mcpSlow.started > 0).then(() => undefined),
  slowCallEnded: () => waitFor(() => mcpSlow.cancelled > 0).then(() => undefined),
  close: async () => {
    await Promise.all(mcpAdapters.map((adapter) => adapter.close()));
  },
});

const builtins = new Map<string, BuiltinTool>([
  [
    'echo',
    {
      definition: { name: 'echo', parameters: { type: 'object' } },
      execute: async (args) => JSON.stringify(args),
    },
  ],
  [
    'slow',
    {
      definition: { name: 'slow', parameters: { type: 'object' } },
      execute: (_args, context: ToolContext) => {
        builtinSlow.started++;
        return new Promise((_resolve, reject) => {
          context.signal.addEventListener('abort', () => {
            builtinSlow.ended++;
            reject(context.signal.reason);
          });
        });
      },
    },
  ],
  [
    'failing',
    {
      definition: { name: 'failing', parameters: { type: 'object' } },
      execute: async () => ({ output: 'no luck', isError: true }),
    },
  ],
]);
describeToolAdapterContract('built-in adapter', {
  open: (role) => ({
    adapter: createBuiltinAdapter(
      { name: `builtin_${role}`, adapter: { type: 'builtin', tool: role } },
      builtins,
    ),
    tool: `builtin_${role}`,
  }),
  echoed: (output) => JSON.parse(output),
  slowCallStarted: () => waitFor(() => builtinSlow.started > 0).then(() => undefined),
  slowCallEnded: () => waitFor(() => builtinSlow.ended > 0).then(() => undefined),
});
