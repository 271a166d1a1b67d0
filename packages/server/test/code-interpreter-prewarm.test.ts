import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, type Backend, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses } from './support/child-processes.js';

const READY_LINE = /^code interpreter ready: pyodide 1 warm, cpython 1 warm \(\d+\.\d s\)$/;

/** Child processes of this test process whose command is bubblewrap (CPython sandboxes). */
const bubblewrapChildren = () => childProcesses(/bwrap/);

function outputText(response: OpenAI.Responses.Response): string {
  return response.output_text;
}

const pools = (server: TestServer) => {
  const builtins = server.server.services.tools.builtins;
  if (!builtins) throw new Error('the server has no built-in tools');
  return builtins;
};

/** A server whose code interpreter pools boot at start (prewarm on; no browser), sized by `pool`. */
const startPoolServer = (pool: Record<string, string>, backend: Backend = 'pglite') =>
  startTestServer({
    backend,
    env: { AGENTD_CODE_INTERPRETER_PREWARM: 'on', AGENTD_BROWSER: 'off', ...pool },
  });

/** The official client, with the admin's key. */
const openaiOf = (server: TestServer) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.adminKey });

describe.each(BACKENDS)('code interpreter prewarm (%s)', (backend) => {
  let server: TestServer;
  let client: OpenAI;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startPoolServer(
      {
        AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
        // A fixed pool of one, so the boots below are exactly the prewarm and its refill.
        AGENTD_CODE_INTERPRETER_POOL_MAX: '1',
        AGENTD_CODE_INTERPRETER_CPYTHON: 'on',
      },
      backend,
    );
    client = openaiOf(server);
    api = new ApiClient(server.url, server.adminKey);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  }, 60_000);

  it('answers at once while the pools boot in the background, and a first call waits for that boot', {
    timeout: 180_000,
  }, async () => {
    // The server listens before any interpreter is up: it does not wait for them.
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await pools(server).status()).pyodide).toBe(true);
    // The first call arrives while the prewarm boot is (most likely) still under way.
    const first = await client.responses.create({
      model: 'scripted',
      input: 'run python: print(6 * 7)',
      tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
    });
    expect(outputText(first)).toContain('42');
    const ready = await pools(server).prewarm();
    expect(ready).toMatch(READY_LINE);
    // One boot by the prewarm (the call's, or the pool's if the call came later) and one refill:
    // the call never started an interpreter of its own beside the one booting.
    const pyodide = async () => (await pools(server).status()).pools?.pyodide;
    await expect.poll(pyodide, { timeout: 60_000, interval: 100 }).toMatchObject({ boots: 2, warm: 1 });
    const stats = await pyodide();
    expect(stats).toMatchObject({ boots: 2, peakBooting: 1, warm: 1, sessions: 1 });
    expect(stats?.meanBootMs).toBeGreaterThan(0);
  });

  it('says so in the log once the pools are warm', async () => {
    await pools(server).prewarm();
    const line = server.logs.find((entry) => READY_LINE.test(String(entry.msg)));
    expect(line).toMatchObject({
      level: 'info',
      pools: { pyodide: { warm: 1 }, cpython: { warm: 1 } },
    });
  });

  it('keeps the Pyodide memory image in the data directory, for the next start', async () => {
    await pools(server).prewarm();
    const image = join(server.dataDir, 'code-interpreter', 'pyodide-snapshot.bin');
    expect(statSync(image).size).toBeGreaterThan(1024 * 1024);
    expect(statSync(image).mode & 0o777).toBe(0o600);
  });

  it('serves the first CPython call of a new conversation from the warm pool', {
    timeout: 120_000,
  }, async () => {
    await pools(server).prewarm();
    const before = (await pools(server).status()).pools?.cpython;
    expect(before).toMatchObject({ warm: 1, coldStarts: 0 });
    const conversation = await client.conversations.create({});
    const response = await client.responses.create({
      model: 'scripted',
      conversation: conversation.id,
      input: '```cpython\nimport sys\nprint(sys.implementation.name)\n```',
      tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
    });
    expect(outputText(response)).toContain('cpython');
    expect((await pools(server).status()).pools?.cpython?.coldStarts).toBe(0);
  });
});

describe('code interpreter pools under a burst, and shutdown', () => {
  it('grows the CPython pool and boots side by side when new conversations drain it', {
    timeout: 180_000,
  }, async () => {
    const server = await startPoolServer({
      AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
      AGENTD_CODE_INTERPRETER_POOL_MAX: '4',
      AGENTD_CODE_INTERPRETER_CPYTHON: 'on',
    });
    try {
      const client = openaiOf(server);
      await pools(server).prewarm();
      // Six new conversations at once: the one warm interpreter goes to the first, the rest find the pool empty.
      const burst = Array.from({ length: 6 }, (_, i) =>
        client.responses.create({
          model: 'scripted',
          input: `\`\`\`cpython\nprint(${i} + 100)\n\`\`\``,
          tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
        }),
      );
      for (const [i, response] of (await Promise.all(burst)).entries()) {
        expect(outputText(response)).toContain(String(i + 100));
      }
      const stats = (await pools(server).status()).pools?.cpython;
      // Grown to its bound (the target steps back later, after a quiet minute).
      expect(stats?.peakTarget).toBe(4);
      expect(stats?.peakBooting).toBeGreaterThan(1);
      expect(stats?.sessions).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('shares the boot under way among first calls that come during it, and boots no more beside it than allowed', {
    timeout: 180_000,
  }, async () => {
    const server = await startPoolServer({
      AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
      AGENTD_CODE_INTERPRETER_POOL_MAX: '1',
      AGENTD_CODE_INTERPRETER_CPYTHON: 'off',
    });
    try {
      const client = openaiOf(server);
      // Three new conversations at once, right after the start, while the pool's first boot runs.
      const responses = await Promise.all(
        [0, 1, 2].map((i) =>
          client.responses.create({
            model: 'scripted',
            input: `run python: print(${i} + 200)`,
            tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
          }),
        ),
      );
      for (const [i, response] of responses.entries())
        expect(outputText(response)).toContain(String(i + 200));
      expect(await pools(server).prewarm()).toMatch(/^code interpreter ready: pyodide 1 warm \(\d+\.\d s\)$/);
      const pyodide = async () => (await pools(server).status()).pools?.pyodide;
      await expect.poll(pyodide, { timeout: 60_000, interval: 100 }).toMatchObject({ booting: 0, warm: 1 });
      // One interpreter per conversation and the refill: the first boot went to a call, and no call
      // started a boot of its own beside the pool's, which boots two at most at once on this machine.
      const stats = await pyodide();
      expect(stats).toMatchObject({ boots: 4, sessions: 3 });
      expect(stats?.peakBooting).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  it('closes a server whose pools are still booting without waiting for them or leaving sandboxes', {
    timeout: 60_000,
  }, async () => {
    const server = await startPoolServer({
      AGENTD_CODE_INTERPRETER_POOL_SIZE: '2',
      AGENTD_CODE_INTERPRETER_CPYTHON: 'on',
    });
    const status = await pools(server).status();
    expect(status).toMatchObject({ pyodide: true, cpython: true });
    await server.close();
    const after = (await pools(server).status()).pools;
    expect(after?.pyodide).toMatchObject({ warm: 0, booting: 0 });
    expect(after?.cpython).toMatchObject({ warm: 0, booting: 0 });
    await expect.poll(bubblewrapChildren, { timeout: 10_000 }).toEqual([]);
    // Nothing became ready, and no line says otherwise.
    expect(await pools(server).prewarm()).toBeUndefined();
  });
});
