import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call of a gated tool, as its server saw it. */
export interface GatedCall {
  tool: string;
  body: unknown;
  /** Set once the caller closed the connection before an answer. */
  aborted: boolean;
  /** Resolves when the caller closes the connection before an answer (a cancel, a dead worker). */
  readonly closed: Promise<void>;
  /** Answers the call with `result` (JSON). */
  release(result: unknown): void;
}

export interface GatedToolServer {
  url: string;
  calls: GatedCall[];
  /** Resolves with the `n`th call (1-based), of those whose argument `q` is `options.q` if given, once it arrives. */
  call(n: number, options?: { q?: string; timeoutMs?: number }): Promise<GatedCall>;
  close(): Promise<void>;
}

/**
 * HTTP tool endpoints that answer only when the test says so: POST /<tool>
 * is held open until `release`, or until the caller goes away, which the
 * call records.
 */
export async function startGatedToolServer(): Promise<GatedToolServer> {
  const calls: GatedCall[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let onClose: () => void = () => {};
    const call: GatedCall = {
      tool: (req.url ?? '/').slice(1),
      body: text ? JSON.parse(text) : undefined,
      aborted: false,
      closed: new Promise<void>((resolve) => {
        onClose = resolve;
      }),
      release: (result) => {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      },
    };
    res.on('close', () => {
      if (res.writableFinished) return;
      call.aborted = true;
      onClose();
    });
    calls.push(call);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    call: (n, { q, timeoutMs = 20_000 } = {}) =>
      new Promise<GatedCall>((resolve, reject) => {
        const check = () => {
          const matching =
            q === undefined ? calls : calls.filter((call) => (call.body as { q?: unknown })?.q === q);
          const found = matching[n - 1];
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`tool call ${n} did not arrive within ${timeoutMs} ms (${calls.length} arrived)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
