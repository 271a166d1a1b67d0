import { createServer, type Server } from 'node:net';

/**
 * The proxy Chromium is told to use: it accepts and drops every connection.
 * Every request the pages make is answered by the route handler, so nothing
 * should ever reach it; if Chromium tries to reach the network by itself
 * (a request Playwright does not route, a WebRTC or preconnect attempt), the
 * attempt dies here instead of leaving the machine, and is counted.
 */
export interface BlackholeProxy {
  readonly port: number;
  /** Connections Chromium attempted outside the route handler. */
  attempts(): number;
  close(): Promise<void>;
}

export async function startBlackholeProxy(): Promise<BlackholeProxy> {
  let attempts = 0;
  const server: Server = createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the blackhole proxy has no port');
  return {
    port: address.port,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
