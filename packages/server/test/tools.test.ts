import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentdWithFakeModel,
  openaiOptions,
  startAgentdWithFakeModel,
  type TestServer,
} from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cityInput, httpToolManifest } from './support/http-tools.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the tools gateway over HTTP', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let upstream: ToolServer;
  let server: TestServer;
  let api: ApiClient;
  let toolDir: string;

  const httpTool = (name: string, path: string, extra: Record<string, unknown> = {}) =>
    httpToolManifest(name, `${upstream.url}/${path}`, extra);

  beforeAll(async () => {
    upstream = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
      backup_weather: (body: { city: string }) => ({ city: body.city, sky: 'cloudy (backup)' }),
      wire: () => ({ sent: true }),
    });
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-tooldir-'));
    writeFileSync(join(toolDir, 'dir-weather.json'), JSON.stringify(httpTool('dir_weather', 'weather')));
    writeFileSync(
      join(toolDir, 'broken.json'),
      JSON.stringify({ name: 'broken', adapter: { type: 'http' } }),
    );
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { OPENAI_API_KEY: 'sk-upstream', AGENTD_TOOL_DIR: toolDir },
    });
    ({ fake, server, api } = agentd);
  });
  afterAll(async () => {
    await agentd?.close();
    await upstream?.close();
    rmSync(toolDir, { recursive: true, force: true });
  });
  beforeEach(() => fake.reset());

  it('serves the manifest JSON Schema', async () => {
    const schema = await api.get('/v1/tools/manifest-schema');
    expect(schema.status).toBe(200);
    expect(schema.body).toMatchObject({ title: 'agentd tool manifest', required: ['name', 'adapter'] });
  });

  it('registers a tool, runs it in a response, and removes it', async () => {
    const created = await api.post('/v1/tools', httpTool('weather', 'weather'));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'tool',
      name: 'weather',
      source: 'api',
      health: 'healthy',
      tools: [{ name: 'weather' }],
    });
    fake.enqueue(
      { toolCalls: [{ id: 'w', name: 'weather', arguments: '{"city":"Oslo"}' }] },
      { text: 'Clear in Oslo.' },
    );
    const response = await api.post('/v1/responses', { input: 'Weather in Oslo?', tools: ['weather'] });
    expect(response.body.status).toBe('completed');
    expect(response.body.output[1]).toMatchObject({
      type: 'function_call_output',
      output: '{"city":"Oslo","sky":"clear"}',
    });
    expect(fake.requests[0]!.body.tools[0].function).toMatchObject({
      name: 'weather',
      parameters: cityInput,
    });

    const fetched = await api.get(`/v1/tools/${created.body.id}`);
    expect(fetched.body.name).toBe('weather');
    const patched = await api.patch(`/v1/tools/${created.body.id}`, { description: 'Sky over a city' });
    expect(patched.body.manifest.description).toBe('Sky over a city');
    expect((await api.delete(`/v1/tools/${created.body.id}`)).body).toMatchObject({ deleted: true });
    const gone = await api.post('/v1/responses', { input: 'again', tools: ['weather'] });
    expect(gone.status).toBe(400);
    expect(gone.body.error).toMatchObject({ code: 'unknown_tool', param: 'tools[0]' });
  });

  it('rejects a bad manifest naming the field and the problem', async () => {
    const noUrl = await api.post('/v1/tools', {
      name: 'x',
      input_schema: cityInput,
      adapter: { type: 'http' },
    });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error).toMatchObject({ code: 'invalid_manifest', param: 'adapter.url' });
    expect(noUrl.body.error.message).toContain('adapter.url: is required');
    const retries = await api.post('/v1/tools', { ...httpTool('y', 'weather'), retries: 3 });
    expect(retries.body.error.param).toBe('retries');
  });

  it('lets only platform admins register a stdio MCP server', async () => {
    const member = (await api.post('/v1/api_keys', { name: 'dev', role: 'admin' })).body.value as string;
    const stdio = {
      name: 'local',
      adapter: { type: 'mcp', transport: 'stdio', command: 'sh', args: ['-c', 'id'] },
    };
    const refused = await api.withKey(member).post('/v1/tools', stdio);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('stdio_mcp_not_allowed');
  });

  it('loads the tool directory, reports bad manifests, and hot-reloads', async () => {
    const names = async () =>
      (await api.get('/v1/tools')).body.data.map(
        (tool: { name: string; source: string }) => `${tool.source}:${tool.name}`,
      );
    expect(await names()).toContain('dir:dir_weather');
    expect(await names()).not.toContain('dir:broken');
    expect(server.rawLogs()).toContain('broken.json: adapter.url: is required');

    writeFileSync(join(toolDir, 'more.json'), JSON.stringify(httpTool('dir_backup', 'backup_weather')));
    for (let i = 0; i < 100 && !(await names()).includes('dir:dir_backup'); i++) await sleep(50);
    expect(await names()).toContain('dir:dir_backup');
    unlinkSync(join(toolDir, 'more.json'));
    for (let i = 0; i < 100 && (await names()).includes('dir:dir_backup'); i++) await sleep(50);
    expect(await names()).not.toContain('dir:dir_backup');
  });

  it('routes a capability to the best healthy tool and falls back, logging each choice', async () => {
    await api.post('/v1/tools', {
      ...httpTool('fast_weather', 'weather'),
      adapter: { type: 'http', url: 'http://127.0.0.1:9/unreachable' },
      capabilities: [{ name: 'weather.current', confidence: 0.9 }],
    });
    await api.post('/v1/tools', {
      ...httpTool('slow_weather', 'backup_weather'),
      capabilities: [{ name: 'weather.current', confidence: 0.4 }],
    });
    fake.enqueue(
      { toolCalls: [{ id: 'c', name: 'weather_current', arguments: '{"city":"Rome"}' }] },
      { text: 'Cloudy.' },
    );
    const response = await api.post('/v1/responses', {
      input: 'Rome?',
      tools: [{ capability: 'weather.current' }],
    });
    expect(response.body.status).toBe('completed');
    expect(response.body.output[1].output).toContain('cloudy (backup)');
    const events = (await api.get(`/v1/responses/${response.body.id}/events`)).body.data;
    const routing = events.filter((event: { type: string }) => event.type.startsWith('response.tool_call.'));
    expect(
      routing.map((event: { type: string; tool?: string; from?: string }) => [
        event.type,
        event.tool ?? event.from,
      ]),
    ).toEqual([
      ['response.tool_call.started', undefined],
      ['response.tool_call.routed', 'fast_weather'],
      ['response.tool_call.fallback', 'fast_weather'],
      ['response.tool_call.routed', 'slow_weather'],
      ['response.tool_call.completed', undefined],
    ]);
  });

  it("shows each tool's circuit: open after repeated failures", async () => {
    const created = await api.post('/v1/tools', {
      ...httpTool('down_weather', 'weather'),
      adapter: { type: 'http', url: 'http://127.0.0.1:9/down' },
    });
    expect(created.body.tools).toEqual([
      { name: 'down_weather', description: 'The down_weather tool', circuit: 'closed' },
    ]);
    const calls = [1, 2, 3].map((n) => ({ id: `d${n}`, name: 'down_weather', arguments: '{"city":"Oslo"}' }));
    fake.enqueue({ toolCalls: calls }, { text: 'The weather service is down.' });
    const response = await api.post('/v1/responses', { input: 'Oslo?', tools: ['down_weather'] });
    expect(response.body.status).toBe('completed');
    const fetched = await api.get(`/v1/tools/${created.body.id}`);
    expect(fetched.body.tools[0].circuit).toBe('open');
    await api.delete(`/v1/tools/${created.body.id}`);
  });

  it('asks for approval, and runs or refuses the call as the client answers', async () => {
    await api.post('/v1/tools', { ...httpTool('wire_money', 'wire'), requires_approval: true });
    const before = upstream.calls.filter((call) => call.path === '/wire').length;
    const ask = async () => {
      fake.enqueue({
        toolCalls: [{ id: `w${Math.random()}`, name: 'wire_money', arguments: '{"city":"Bern"}' }],
      });
      const first = await api.post('/v1/responses', { input: 'pay', tools: ['wire_money'] });
      expect(first.body.output.map((item: { type: string }) => item.type)).toEqual([
        'function_call',
        'approval_request',
      ]);
      return first.body;
    };
    const first = await ask();
    expect(upstream.calls.filter((call) => call.path === '/wire').length).toBe(before);
    fake.enqueue({ text: 'Sent.' });
    const granted = await api.post('/v1/responses', {
      previous_response_id: first.id,
      tools: ['wire_money'],
      input: [{ type: 'approval_response', approval_request_id: first.output[1].id, approve: true }],
    });
    expect(granted.body.output[0]).toMatchObject({ type: 'function_call_output', output: '{"sent":true}' });
    expect(upstream.calls.filter((call) => call.path === '/wire').length).toBe(before + 1);

    const second = await ask();
    fake.enqueue({ text: 'Not sent.' });
    const denied = await api.post('/v1/responses', {
      previous_response_id: second.id,
      tools: ['wire_money'],
      input: [
        {
          type: 'approval_response',
          approval_request_id: second.output[1].id,
          approve: false,
          reason: 'not today',
        },
      ],
    });
    expect(denied.body.output[0].output).toContain('a person denied it: not today');
    expect(upstream.calls.filter((call) => call.path === '/wire').length).toBe(before + 1);
  });

  it('sends a stored secret as a header, and never shows it', async () => {
    const stored = await api.post('/v1/secrets', { name: 'weather-key', value: 'sk-weather-very-secret' });
    expect(stored.status).toBe(200);
    expect(JSON.stringify(stored.body)).not.toContain('sk-weather-very-secret');
    await api.post('/v1/tools', {
      ...httpTool('keyed_weather', 'weather'),
      adapter: {
        type: 'http',
        url: `${upstream.url}/weather`,
        secret_headers: { 'x-api-key': 'weather-key' },
      },
    });
    fake.enqueue(
      { toolCalls: [{ id: 'k', name: 'keyed_weather', arguments: '{"city":"Lima"}' }] },
      { text: 'ok' },
    );
    const response = await api.post('/v1/responses', { input: 'Lima?', tools: ['keyed_weather'] });
    expect(response.body.status).toBe('completed');
    expect(upstream.calls.at(-1)!.headers['x-api-key']).toBe('sk-weather-very-secret');
    const listed = await api.get('/v1/secrets');
    expect(listed.body.data.map((secret: { name: string }) => secret.name)).toContain('weather-key');
    const events = await api.get(`/v1/responses/${response.body.id}/events`);
    for (const text of [
      JSON.stringify(listed.body),
      JSON.stringify(response.body),
      JSON.stringify(events.body),
      server.rawLogs(),
    ]) {
      expect(text).not.toContain('sk-weather-very-secret');
    }
    const member = (await api.post('/v1/api_keys', { name: 'm', role: 'member' })).body.value as string;
    expect((await api.withKey(member).get('/v1/secrets')).status).toBe(403);
  });

  it('round-trips a client-side tool with the official openai client', async () => {
    const client = new OpenAI(openaiOptions(agentd));
    const tool = {
      type: 'function' as const,
      name: 'get_time',
      parameters: { type: 'object', properties: {} },
      strict: false,
    };
    fake.enqueue(
      { toolCalls: [{ id: 'time1', name: 'get_time', arguments: '{}' }] },
      { text: 'It is noon.' },
    );
    const first = await client.responses.create({
      model: 'fake-model',
      input: 'What time is it?',
      tools: [tool],
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_time', call_id: 'time1' });
    const second = await client.responses.create({
      model: 'fake-model',
      previous_response_id: first.id,
      tools: [tool],
      input: [{ type: 'function_call_output', call_id: 'time1', output: '12:00' }],
    });
    expect(second.output_text).toBe('It is noon.');
    expect(fake.requests.at(-1)!.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'time1',
      content: '12:00',
    });
  });
});
