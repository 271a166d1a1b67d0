/**
 * Tool output is hostile input too: whatever a tool returns (an HTTP tool, an
 * MCP server, the code interpreter), the run completes or fails cleanly, is
 * stored as it was shown, and a stream always ends with a terminal event.
 */

import { type Agentd, BACKENDS, startAgentd } from '@agentd/test-server';
import { type ApiClient, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';

const deep = (depth: number) => `${'['.repeat(depth)}0${']'.repeat(depth)}`;

/** What the tools return, by name: text no database column takes, and text that is merely odd. */
const PAYLOADS: Record<string, unknown> = {
  nul: '\u0000\u0000\u0000tail',
  lone_surrogates: 'high \uD800 low \uDC00 end',
  nul_in_json: { note: 'a\u0000b', list: ['\u0000'] },
  right_to_left: 'file\u202Egnp.exe \u2066isolate\u2069',
  long: 'x'.repeat(70_000),
  deep_nesting: deep(5_000),
  big_numbers: { big: 2 ** 53 + 2, bigger: '1e400', negative: -(2 ** 60) },
  proto_keys: JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
};

describe.each(BACKENDS)('hostile tool output on %s', (backend) => {
  let agentd: Agentd;
  let api: ApiClient;
  let tools: ToolServer;
  let mcp: McpHttpServer;
  const hostileTool = () => ({
    type: 'function',
    name: 'hostile',
    parameters: { type: 'object', properties: { kind: { type: 'string' } }, required: ['kind'] },
    endpoint: { url: `${tools.url}/hostile` },
  });

  beforeAll(async () => {
    tools = await startToolServer({ hostile: (body: { kind: string }) => PAYLOADS[body.kind] });
    mcp = await startMcpHttpServer((server) => {
      server.registerTool('hostile_text', { description: 'Returns hostile text' }, async () => ({
        content: [{ type: 'text', text: `${PAYLOADS.nul as string} ${PAYLOADS.lone_surrogates as string}` }],
      }));
    });
    agentd = await startAgentd({ backend });
    api = agentd.api;
    const registered = await api.post('/v1/tools', {
      name: 'hostile_mcp',
      adapter: { type: 'mcp', transport: 'http', url: mcp.url },
    });
    expect(registered.status).toBe(200);
  });
  afterAll(async () => {
    await agentd?.close();
    await mcp?.close();
    await tools?.close();
  });

  /** The tool's output as the run recorded it, checked to be what GET and the event log hold too. */
  async function recordedOutput(response: {
    id: string;
    status: string;
    output: unknown[];
  }): Promise<string> {
    expect(response.status).toBe('completed');
    const stored = await api.get(`/v1/responses/${response.id}`);
    expect(stored.body.status).toBe('completed');
    const output = stored.body.output.find((item: { type: string }) => item.type === 'function_call_output');
    expect(output).toBeDefined();
    expect(response.output).toEqual(stored.body.output);
    const log = await api.get(`/v1/responses/${response.id}/events?order=asc&limit=1000`);
    expect(log.body.data.at(-1).type).toBe('response.completed');
    return output.output as string;
  }

  it.each(Object.keys(PAYLOADS))(
    'an HTTP tool returning %s: the run completes and keeps what it can',
    async (kind) => {
      const answer = await api.post('/v1/responses', {
        input: `call hostile {"kind": "${kind}"}`,
        tools: [hostileTool()],
      });
      expect(answer.status).toBe(200);
      const output = await recordedOutput(answer.body);
      expect(output.isWellFormed()).toBe(true);
      expect(output).not.toContain('\u0000');
      if (kind === 'nul') {
        expect(output).toContain('\uFFFD\uFFFD\uFFFDtail');
        expect(output).toContain(
          '[agentd: 3 characters that cannot be stored (NUL or unpaired surrogate) replaced by U+FFFD]',
        );
      }
      // UTF-8 on the wire has no unpaired surrogates: the tool's HTTP server already sent U+FFFD.
      if (kind === 'lone_surrogates') expect(output).toContain('high \uFFFD low \uFFFD end');
      // JSON text keeps its escapes: the model reads the tool's JSON as the tool wrote it.
      if (kind === 'nul_in_json') expect(output).toContain('"note":"a\\u0000b"');
      if (kind === 'right_to_left') expect(output).toContain('file\u202Egnp.exe');
      if (kind === 'long') expect(output).toMatch(/output truncated/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('a streamed run whose tool returns NUL ends with response.completed, and shows what was stored', async () => {
    const events = await api.stream('/v1/responses', {
      input: 'call hostile {"kind": "nul"}',
      tools: [hostileTool()],
      stream: true,
    });
    const last = events.at(-1);
    expect(last?.event).toBe('response.completed');
    const live = last?.data.response.output.find(
      (item: { type: string }) => item.type === 'function_call_output',
    );
    expect(live.output).toContain('\uFFFD\uFFFD\uFFFDtail');
    expect(await recordedOutput(last?.data.response)).toBe(live.output);
  });

  it('a background run whose MCP tool returns NUL and unpaired surrogates completes', async () => {
    const started = await api.post('/v1/responses', {
      input: 'call hostile_text',
      tools: ['hostile_mcp'],
      background: true,
    });
    expect(started.status).toBe(200);
    const events = await api.stream(`/v1/responses/${started.body.id}?stream=true`);
    expect(events.at(-1)?.event).toBe('response.completed');
    const output = await recordedOutput(events.at(-1)?.data.response);
    expect(output).toContain('\uFFFD\uFFFD\uFFFDtail high \uFFFD low \uFFFD end');
  });

  it('the code interpreter printing NUL (the reported case): plain, streamed and background runs all complete', async () => {
    const input = 'run python: print(chr(0) * 3 + "tail")';
    const plain = await api.post('/v1/responses', { input });
    expect(plain.status).toBe(200);
    expect(plain.body.status).toBe('completed');
    const stored = await api.get(`/v1/responses/${plain.body.id}`);
    expect(stored.body.status).toBe('completed');
    expect(JSON.stringify(stored.body.output)).toContain('\uFFFD\uFFFD\uFFFDtail');
    const streamed = await api.stream('/v1/responses', { input, stream: true });
    expect(streamed.at(-1)?.event).toBe('response.completed');
    const background = await api.post('/v1/responses', { input, background: true });
    const ended = await api.stream(`/v1/responses/${background.body.id}?stream=true`);
    expect(ended.at(-1)?.event).toBe('response.completed');
    expect((await api.get(`/v1/responses/${background.body.id}`)).body.status).toBe('completed');
  });
});
