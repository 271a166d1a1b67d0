import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStub, startStub } from './stubs.js';

const run = promisify(execFile);
const WALKTHROUGH = fileURLToPath(new URL('../walkthrough.mjs', import.meta.url));
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The output the README's walkthrough shows, each line a pattern (… stands for anything). */
function readmeOutput(): RegExp[] {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Dev container and mini-stack'));
  const block = /```text\n([\s\S]*?)```/.exec(section)![1]!;
  return block
    .trim()
    .split('\n')
    .map((line) => new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('…', '.*')}$`));
}

describe('the mini-stack walkthrough, with the stubs as node processes instead of containers', () => {
  let http: RunningStub;
  let mcp: RunningStub;
  let openapi: RunningStub;
  let agentd: Agentd;

  beforeAll(async () => {
    [http, mcp, openapi] = await Promise.all([
      startStub('http-tool.mjs'),
      startStub('mcp-server.mjs'),
      startStub('openapi-service.mjs'),
    ]);
    // No model configured: the scripted stand-in. The network policy opens exactly the stubs, as compose's does.
    agentd = await startAgentd({
      backend: 'pglite',
      env: { AGENTD_NET_ALLOW: [http, mcp, openapi].map((stub) => `127.0.0.1:${stub.port}`).join(',') },
    });
  });
  afterAll(async () => {
    await agentd?.close();
    await Promise.all([http, mcp, openapi].map((stub) => stub?.stop()));
  });

  const walkthrough = () =>
    run(process.execPath, [WALKTHROUGH], {
      env: {
        ...process.env,
        AGENTD_URL: agentd.server.url,
        AGENTD_API_KEY: agentd.server.adminKey,
        STUB_HTTP_URL: http.url,
        STUB_MCP_URL: mcp.url,
        STUB_OPENAPI_URL: openapi.url,
      },
    });

  it('registers each kind of tool and runs an agent that calls each one', { timeout: 180_000 }, async () => {
    const { stdout } = await walkthrough();
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'tool catalog (openapi): registered, offers searchProducts, getProduct',
      'tool convert (http): registered, offers convert',
      'tool notes (mcp): registered, offers notes_search, notes_get',
      'agent mini-stack: created with tools catalog, convert, notes',
    ]);
    expect(lines[4]).toMatch(
      /^HTTP tool: convert {"amount":100,"from":"EUR","to":"NOK"} -> {"amount":100,"from":"EUR","to":"NOK","result":1150,"rates":"example data"} \(resp_\w+\)$/,
    );
    expect(lines[5]).toMatch(
      /^MCP server: notes_search {"query":"release"} -> .*\[{"id":"n1","title":"Release checklist"}\].* \(resp_\w+\)$/,
    );
    expect(lines[6]).toMatch(
      /^OpenAPI service: getProduct {"sku":"KB-01"} -> .*"name":"Mechanical keyboard".* \(resp_\w+\)$/,
    );
    expect(lines[7]).toBe(
      'Every kind of tool answered. Replay any run above: GET /v1/responses/<id>/events.',
    );
    // What the README says the walkthrough prints is what it prints.
    const shown = readmeOutput();
    expect(shown).toHaveLength(7);
    for (const [index, pattern] of shown.entries()) expect(lines[index]).toMatch(pattern);

    // What a user sees afterwards: the tools listed, each run stored with its tool call.
    const tools = await agentd.api.get('/v1/tools?limit=100');
    expect(
      (tools.body.data as { name: string; source: string; health: string }[])
        .filter((tool) => tool.source === 'api')
        .map((tool) => [tool.name, tool.health])
        .sort(),
    ).toEqual([
      ['catalog', 'healthy'],
      ['convert', 'healthy'],
      ['notes', 'healthy'],
    ]);
    const id = /\((resp_\w+)\)$/.exec(lines[4]!)![1]!;
    const events = await agentd.api.get(`/v1/responses/${id}/events?limit=1000`);
    expect(events.body.data.map((event: { type: string }) => event.type)).toContain(
      'response.tool_call.completed',
    );
  });

  it('can be run again: what exists is kept and every tool still answers', { timeout: 180_000 }, async () => {
    const { stdout } = await walkthrough();
    expect(stdout).toContain('tool convert: already registered');
    expect(stdout).toContain('agent mini-stack: already there');
    expect(stdout).toContain('Every kind of tool answered.');
  });

  it('stubs answer bad input with a 4xx naming the problem', async () => {
    const bad = await fetch(`${http.url}/convert`, {
      method: 'POST',
      body: JSON.stringify({ amount: 1, from: 'EUR', to: 'XXX' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'to must be one of EUR, USD, GBP, NOK, JPY' });
    const missing = await fetch(`${openapi.url}/products/NOPE`);
    expect(missing.status).toBe(404);
    const notJson = await fetch(`${mcp.url}/mcp`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
