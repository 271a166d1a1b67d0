import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { McpAdapterConfig, ToolManifest } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/adapters/backoff-delay.js';
import { AdapterError, createMcpAdapter, type McpAdapter } from '../../src/index.js';
import { toolContext, waitFor } from './support/tool-context.js';

const require = createRequire(import.meta.url);

/** A tiny stdio MCP server: `pid` names its process, `crash` kills it, `wait` waits to be cancelled. */
const SERVER = `
const { appendFileSync } = require('node:fs');
const { McpServer } = require(${JSON.stringify(require.resolve('@modelcontextprotocol/sdk/server/mcp.js'))});
const { StdioServerTransport } = require(${JSON.stringify(require.resolve('@modelcontextprotocol/sdk/server/stdio.js'))});
appendFileSync(process.env.STARTS_FILE, process.pid + '\\n');
const server = new McpServer({ name: 'tiny', version: '1.0.0' });
server.registerTool('pid', { description: 'Its process id' }, async () => ({
  content: [{ type: 'text', text: String(process.pid) }],
}));
server.registerTool('crash', { description: 'Exits at once' }, async () => process.exit(3));
server.registerTool('wait', { description: 'Waits until cancelled' }, async (extra) => {
  appendFileSync(process.env.EVENTS_FILE, 'started\\n');
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 20000);
    extra.signal.addEventListener('abort', () => {
      appendFileSync(process.env.EVENTS_FILE, 'cancelled\\n');
      clearTimeout(timer);
      resolve();
    });
  });
  return { content: [{ type: 'text', text: 'done waiting' }] };
});
server.connect(new StdioServerTransport());
`;

let dir: string;
let startsFile: string;
let eventsFile: string;
let adapter: McpAdapter;
const healthAtChange: string[] = [];

const starts = () => readFileSync(startsFile, 'utf8').trim().split('\n').filter(Boolean).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidOf = async () => Number((await adapter.call('pid', {}, toolContext())).output);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentd-mcp-'));
  startsFile = join(dir, 'starts.txt');
  eventsFile = join(dir, 'events.txt');
  writeFileSync(startsFile, '');
  writeFileSync(eventsFile, '');
  writeFileSync(join(dir, 'server.cjs'), SERVER);
  const manifest: ToolManifest & { adapter: McpAdapterConfig } = {
    name: 'tiny',
    adapter: {
      type: 'mcp',
      transport: 'stdio',
      command: process.execPath,
      args: ['server.cjs'],
      env: { STARTS_FILE: startsFile, EVENTS_FILE: eventsFile },
    },
  };
  adapter = createMcpAdapter(manifest, { restartBackoffMs: { initial: 100, max: 400 }, cwd: dir });
  adapter.onChange(() => healthAtChange.push(adapter.health()));
});

afterAll(async () => {
  await adapter.close();
  for (const pid of starts()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('MCP adapter: a stdio server that crashes', () => {
  it('is marked unavailable, restarted with backoff, and healthy again', async () => {
    await adapter.start();
    const first = await pidOf();
    expect(starts()).toEqual([first]);

    const error = await adapter.call('crash', {}, toolContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as Error).message).toMatch(
      /^the MCP server 'tiny' failed the call to 'crash': .*[Cc]onnection closed/,
    );
    await waitFor(() => healthAtChange.includes('unavailable'));
    await waitFor(() => adapter.health() === 'healthy');
    expect(healthAtChange.slice(0, 2)).toEqual(['unavailable', 'healthy']);
    const second = await pidOf();
    expect(second).not.toBe(first);
    expect(alive(first)).toBe(false);
  });

  it('comes back after its process is killed from outside', async () => {
    const victim = await pidOf();
    const changesBefore = healthAtChange.length;
    process.kill(victim, 'SIGKILL');
    await waitFor(() => healthAtChange.slice(changesBefore).includes('unavailable'));
    await waitFor(() => adapter.health() === 'healthy');
    expect(await pidOf()).not.toBe(victim);
  });

  it('cancels a waiting call when the signal fires; the server sees the cancellation', async () => {
    const controller = new AbortController();
    const outcome = adapter.call('wait', {}, toolContext(controller.signal)).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await waitFor(() => readFileSync(eventsFile, 'utf8').includes('started'));
    const started = Date.now();
    controller.abort();
    const error = await outcome;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).name).toBe('AbortError');
    await waitFor(() => readFileSync(eventsFile, 'utf8').includes('cancelled'));
  });

  it('stays stopped after close(): no restart, no process left', async () => {
    const last = await pidOf();
    const startsBefore = starts().length;
    await adapter.close();
    expect(adapter.health()).toBe('unavailable');
    await waitFor(() => !alive(last));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(starts().length).toBe(startsBefore);
    expect(await adapter.list()).toEqual([]);
    await expect(adapter.call('pid', {}, toolContext())).rejects.toThrow("the MCP server 'tiny' is closed");
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    expect([0, 1, 2, 3, 4, 50].map((attempt) => backoffDelay(attempt, { initial: 100, max: 500 }))).toEqual([
      100, 200, 400, 500, 500, 500,
    ]);
  });
});
