import { createServer, Socket } from 'node:net';
import { Agentd } from '@agentd/sdk';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import type { FakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A real agentd server on PGlite whose model is the fake, and an SDK client holding its admin key. */
export async function startSdkServer(): Promise<AgentdWithFakeModel & { client: Agentd }> {
  const agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
  return { ...agentd, client: new Agentd({ baseURL: agentd.server.url, apiKey: agentd.server.adminKey }) };
}

/** What a suite's tests reach their server by; set before the first test. */
export interface SdkSuite {
  agentd: AgentdWithFakeModel & { client: Agentd };
  fake: FakeOpenAI;
  /** The SDK client, with the admin's key. */
  client: Agentd;
}

/**
 * `startSdkServer` for the tests of the calling `describe`: started before
 * them, closed after them, the fake's script and recorded requests cleared
 * before each.
 */
export function sdkServerSuite(): SdkSuite {
  const suite = {} as SdkSuite;
  beforeAll(async () => {
    suite.agentd = await startSdkServer();
    suite.fake = suite.agentd.fake;
    suite.client = suite.agentd.client;
  });
  afterAll(async () => {
    await suite.agentd?.close();
  });
  beforeEach(() => suite.fake.reset());
  return suite;
}

/**
 * A cutting proxy in front of a suite's server (register it after
 * `sdkServerSuite`, it closes first), and an SDK client, with the admin's
 * key, that goes through it.
 */
export function cuttingProxySuite(sdk: SdkSuite): { proxy: CuttingProxy; client: Agentd } {
  const suite = {} as { proxy: CuttingProxy; client: Agentd };
  beforeAll(async () => {
    suite.proxy = await startCuttingProxy(sdk.agentd.server.url);
    suite.client = new Agentd({ baseURL: suite.proxy.url, apiKey: sdk.agentd.server.adminKey });
  });
  afterAll(async () => {
    await suite.proxy?.close();
  });
  return suite;
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
