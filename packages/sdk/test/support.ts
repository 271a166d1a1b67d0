import { createServer, Socket } from 'node:net';
import { Agentd } from '@agentd/sdk';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';

/** A real agentd server on PGlite whose model is the fake, and an SDK client holding its admin key. */
export async function startSdkServer(): Promise<AgentdWithFakeModel & { client: Agentd }> {
  const agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
  return { ...agentd, client: new Agentd({ baseURL: agentd.server.url, apiKey: agentd.server.adminKey }) };
}

export interface CuttingProxy {
  url: string;
  /** Cuts the next answer that carries `marker`: the bytes before it go through, then the connection dies. */
  cutBefore(marker: string): void;
  /** Stalls the next answer that carries `marker`: the bytes before it go through, then none, the connection left open. */
  stallBefore(marker: string): void;
  /** Connections cut or stalled so far. */
  readonly cuts: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a server that, when armed, destroys a connection
 * mid-answer (both sockets, as a network failure would), just before the
 * armed text.
 */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  let marker: string | undefined;
  let mode: 'cut' | 'stall' = 'cut';
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(port), hostname);
    client.on('data', (chunk) => upstream.write(chunk));
    let stalled = false;
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      const at = marker === undefined ? -1 : chunk.indexOf(marker, 0, 'latin1');
      if (at === -1) return void client.write(chunk);
      // What came before the marker reaches the client (half an event, maybe); then nothing more.
      marker = undefined;
      cuts++;
      if (mode === 'stall') {
        stalled = true;
        client.write(chunk.subarray(0, at));
        return;
      }
      client.end(chunk.subarray(0, at), () => {
        client.destroy();
        upstream.destroy();
      });
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutBefore(text) {
      marker = text;
      mode = 'cut';
    },
    stallBefore(text) {
      marker = text;
      mode = 'stall';
    },
    get cuts() {
      return cuts;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
