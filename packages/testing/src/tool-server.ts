import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ToolCallRecord {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** Set when the caller closed the connection before the handler answered. */
  aborted: boolean;
}

/**
 * Answers one tool's calls. `body` is the call's JSON arguments; the test
 * scripted the call, so the handler declares their shape:
 * `(body: { city: string }) => ...`.
 */
export type ToolHandler<Body = unknown> = (body: Body, record: ToolCallRecord) => unknown | Promise<unknown>;

export interface ToolServer {
  url: string;
  calls: ToolCallRecord[];
  /** The most calls in flight at once. */
  peakConcurrency: number;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for function-tool endpoints: POST /<name>
 * runs handlers[name] with the JSON body; a thrown error becomes a 500.
 */
export async function startToolServer<Bodies extends Record<string, unknown>>(
  handlers: {
    [Name in keyof Bodies]: ToolHandler<Bodies[Name]>;
  },
): Promise<ToolServer> {
  const calls: ToolCallRecord[] = [];
  let inFlight = 0;
  const state = { peakConcurrency: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const record: ToolCallRecord = {
      path: req.url ?? '/',
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      aborted: false,
    };
    calls.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const name = (req.url ?? '/').slice(1);
    const handler = Object.hasOwn(handlers, name) ? handlers[name as keyof Bodies] : undefined;
    inFlight++;
    state.peakConcurrency = Math.max(state.peakConcurrency, inFlight);
    try {
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such tool');
        return;
      }
      // The arguments the test's scripted call sent, in the shape its handler declares.
      const result = await handler(record.body as Bodies[keyof Bodies], record);
      if (res.destroyed) return;
      const body = typeof result === 'string' ? result : JSON.stringify(result);
      res
        .writeHead(200, { 'content-type': typeof result === 'string' ? 'text/plain' : 'application/json' })
        .end(body);
    } catch (error) {
      if (!res.destroyed) res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    get peakConcurrency() {
      return state.peakConcurrency;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
