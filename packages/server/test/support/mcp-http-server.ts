import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export interface McpHttpServer {
  /** http://127.0.0.1:<port>/mcp */
  url: string;
  port: number;
  /** Sessions opened so far. */
  sessions(): number;
  close(): Promise<void>;
}

/** An MCP server over Streamable HTTP on 127.0.0.1, one McpServer (set up by `setup`) per session. */
export async function startMcpHttpServer(setup: (server: McpServer) => void): Promise<McpHttpServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers: McpServer[] = [];
  const http = createServer(async (req, res) => {
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? JSON.parse(await readBody(req)) : undefined;
    const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res, body);
    if (req.method === 'POST' && sessionId === undefined && isInitializeRequest(body)) {
      const server = new McpServer({ name: 'test-mcp', version: '1.0.0' });
      setup(server);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport),
      });
      await server.connect(transport);
      servers.push(server);
      return transport.handleRequest(req, res, body);
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
      );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    sessions: () => servers.length,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
