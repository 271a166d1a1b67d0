import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import type { ApiClient, FakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call of the slow MCP tool, as its server saw it. */
interface SlowCall {
  requestId: string | number;
  cancelled: boolean;
  finished: boolean;
}

describe('cancelling a response with an MCP tool call in flight', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let mcp: McpHttpServer;
  let api: ApiClient;
  const calls: SlowCall[] = [];
  const cancelNotes: unknown[] = [];

  beforeAll(async () => {
    mcp = await startMcpHttpServer((server) => {
      server.registerTool('slow', { description: 'Waits 30 s unless cancelled' }, async (extra) => {
        const call: SlowCall = { requestId: extra.requestId, cancelled: false, finished: false };
        calls.push(call);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 30_000);
          // The SDK aborts this signal when notifications/cancelled names the request.
          extra.signal.addEventListener('abort', () => {
            call.cancelled = true;
            cancelNotes.push(extra.signal.reason);
            clearTimeout(timer);
            resolve();
          });
        });
        call.finished = true;
        return { content: [{ type: 'text', text: 'finished' }] };
      });
    });
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { OPENAI_API_KEY: 'sk-upstream', AGENTD_TOOL_TIMEOUT_MS: '60000' },
    });
    ({ fake, api } = agentd);
    const registered = await api.post('/v1/tools', {
      name: 'slow_server',
      adapter: { type: 'mcp', transport: 'http', url: mcp.url },
    });
    expect(registered.status).toBe(200);
    expect(registered.body.tools).toEqual([
      { name: 'slow', description: 'Waits 30 s unless cancelled', circuit: 'closed' },
    ]);
  });
  afterAll(async () => {
    await agentd?.close();
    await mcp?.close();
  });
  beforeEach(() => fake.reset());

  it('ends the response cancelled at once and cancels the call on the MCP server', async () => {
    fake.enqueue({ toolCalls: [{ id: 'slow1', name: 'slow', arguments: '{}' }] }, { text: 'not reached' });
    const created = await api.post('/v1/responses', {
      input: 'take your time',
      background: true,
      tools: ['slow_server'],
    });
    expect(created.body.status).toBe('queued');
    for (let i = 0; i < 250 && calls.length === 0; i++) await sleep(20);
    expect(calls).toHaveLength(1);

    const started = Date.now();
    const cancelled = await api.post(`/v1/responses/${created.body.id}/cancel`);
    const took = Date.now() - started;
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(took).toBeLessThan(2_000);

    // The SDK client sent notifications/cancelled for the request; the server's handler was aborted.
    for (let i = 0; i < 100 && !calls[0]!.cancelled; i++) await sleep(20);
    expect(calls[0]).toMatchObject({ cancelled: true, finished: true });
    expect(String(cancelNotes[0])).toMatch(/cancel/i);

    const stored = await api.get(`/v1/responses/${created.body.id}`);
    expect(stored.body.status).toBe('cancelled');
    expect(stored.body.output).toMatchObject([
      { type: 'function_call', call_id: 'slow1', name: 'slow' },
      { type: 'function_call_output', call_id: 'slow1', output: 'Error: the run was cancelled.' },
    ]);
    const events = (await api.get(`/v1/responses/${created.body.id}/events`)).body.data as { type: string }[];
    expect(events.at(-1)!.type).toBe('response.cancelled');
    // The model was not asked again after the cancellation.
    expect(fake.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
  });

  it('leaves the MCP server usable for the next response', async () => {
    const tools = (await api.get('/v1/tools')).body.data as { name: string; health: string }[];
    expect(tools.find((tool) => tool.name === 'slow_server')).toMatchObject({ health: 'healthy' });
    fake.enqueue({ toolCalls: [{ id: 'slow2', name: 'slow', arguments: '{}' }] }, { text: 'done' });
    const created = await api.post('/v1/responses', {
      input: 'again',
      background: true,
      tools: ['slow_server'],
    });
    for (let i = 0; i < 250 && calls.length < 2; i++) await sleep(20);
    expect(calls).toHaveLength(2);
    const cancelled = await api.post(`/v1/responses/${created.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    for (let i = 0; i < 100 && !calls[1]!.cancelled; i++) await sleep(20);
    expect(calls[1]!.cancelled).toBe(true);
  });
});
