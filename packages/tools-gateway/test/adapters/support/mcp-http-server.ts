import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type LoopbackServer, readBody, startLoopbackServer } from './loopback-server.js';

export interface McpHttpServer {
  url: string;
  port: number;
  /** The MCP server of each session, newest last. */
  sessions: McpServer[];
  /** Counts the standalone SSE streams (GET) clients opened: notifications need one. */
  sseStreams(): number;
  /** Stops listening and drops every connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/**
 * An MCP server over Streamable HTTP on node:http, one McpServer per session
 * (an McpServer serves one transport), set up by `setup`.
 */
export async function startMcpHttpServer(setup: (server: McpServer) => void): Promise<McpHttpServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sessions: McpServer[] = [];
  let streams = 0;
  const handler = async (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => {
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (existing) {
      if (req.method === 'GET') {
        // Counted once the stream's headers go out: by then the server can send notifications on it.
        const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
        res.writeHead = ((...args: unknown[]) => {
          const out = writeHead(...args);
          if (res.statusCode === 200) streams++;
          return out;
        }) as typeof res.writeHead;
      }
      if (req.method === 'POST') return existing.handleRequest(req, res, JSON.parse(await readBody(req)));
      return existing.handleRequest(req, res);
    }
    if (req.method === 'POST' && sessionId === undefined) {
      const body: unknown = JSON.parse(await readBody(req));
      if (isInitializeRequest(body)) {
        const server = new McpServer({ name: 'test-http-server', version: '1.0.0' });
        setup(server);
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => {
            transports.set(id, transport);
          },
        });
        transport.onclose = () => {
          if (transport.sessionId) transports.delete(transport.sessionId);
        };
        await server.connect(transport);
        sessions.push(server);
        return transport.handleRequest(req, res, body);
      }
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }),
    );
  };
  let loopback: LoopbackServer = await startLoopbackServer(handler);
  const port = loopback.port;
  return {
    url: `${loopback.url}/mcp`,
    port,
    sessions,
    sseStreams: () => streams,
    async stop() {
      await loopback.close();
      await Promise.all([...transports.values()].map((transport) => transport.close()));
      transports.clear();
      await Promise.all(sessions.map((server) => server.close()));
    },
    async restart() {
      loopback = await startLoopbackServer(handler, port);
    },
  };
}
