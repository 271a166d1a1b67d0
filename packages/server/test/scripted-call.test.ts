import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpToolManifest } from './support/http-tools.js';

// No model configured: the scripted stand-in calls tools by name with "call <tool> {json}".
describe.each(BACKENDS)('the scripted model calls any tool by name (%s)', (backend) => {
  let upstream: ToolServer;
  let server: TestServer;
  let api: ApiClient;
  let toolDir: string;

  const httpTool = (name: string, path: string, extra: Record<string, unknown> = {}) =>
    httpToolManifest(name, `${upstream.url}/${path}`, extra);
  const outputText = (body: { output: { type: string; content?: { text: string }[] }[] }) =>
    body.output
      .filter((item) => item.type === 'message')
      .flatMap((item) => item.content ?? [])
      .map((part) => part.text)
      .join('');

  beforeAll(async () => {
    upstream = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
      wire: (body: { city: string }) => ({ sent: true, to: body.city }),
    });
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-call-'));
    writeFileSync(join(toolDir, 'weather.json'), JSON.stringify(httpTool('weather', 'weather')));
    server = await startTestServer({ backend, env: { AGENTD_TOOL_DIR: toolDir } });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
    rmSync(toolDir, { recursive: true, force: true });
  });

  it('calls a directory tool and reports its result', async () => {
    const response = await api.post('/v1/responses', {
      input: 'call weather {"city": "Oslo"}',
      tools: ['weather'],
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    expect(response.body.output[0]).toMatchObject({
      type: 'function_call',
      name: 'weather',
      arguments: '{"city":"Oslo"}',
    });
    expect(response.body.output[1]).toMatchObject({
      type: 'function_call_output',
      output: '{"city":"Oslo","sky":"clear"}',
    });
    expect(outputText(response.body)).toBe('weather returned:\n{"city":"Oslo","sky":"clear"}');
  });

  it('calls a registered HTTP tool', async () => {
    const created = await api.post('/v1/tools', httpTool(`forecast_${backend}`, 'weather'));
    expect(created.status).toBe(200);
    const response = await api.post('/v1/responses', {
      input: `call forecast_${backend} {"city": "Bergen"}`,
      tools: [`forecast_${backend}`],
    });
    expect(response.body.output[1]).toMatchObject({
      type: 'function_call_output',
      output: '{"city":"Bergen","sky":"clear"}',
    });
    expect(outputText(response.body)).toContain('{"city":"Bergen","sky":"clear"}');
  });

  it('pauses for approval, then runs the call and reports it', async () => {
    const name = `wire_${backend}`;
    await api.post('/v1/tools', { ...httpTool(name, 'wire'), requires_approval: true });
    const before = upstream.calls.filter((call) => call.path === '/wire').length;
    const first = await api.post('/v1/responses', { input: `call ${name} {"city": "Bern"}`, tools: [name] });
    expect(first.body.output.map((item: { type: string }) => item.type)).toEqual([
      'function_call',
      'approval_request',
    ]);
    expect(upstream.calls.filter((call) => call.path === '/wire').length).toBe(before);
    const granted = await api.post('/v1/responses', {
      previous_response_id: first.body.id,
      tools: [name],
      input: [{ type: 'approval_response', approval_request_id: first.body.output[1].id, approve: true }],
    });
    expect(granted.body.status).toBe('completed');
    expect(granted.body.output[0]).toMatchObject({
      type: 'function_call_output',
      output: '{"sent":true,"to":"Bern"}',
    });
    expect(outputText(granted.body)).toBe(`${name} returned:\n{"sent":true,"to":"Bern"}`);
    expect(upstream.calls.filter((call) => call.path === '/wire').length).toBe(before + 1);
  });

  it('says so, and calls nothing, when the arguments are not JSON', async () => {
    const before = upstream.calls.length;
    const response = await api.post('/v1/responses', {
      input: 'call weather {"city": Oslo}',
      tools: ['weather'],
    });
    expect(response.body.status).toBe('completed');
    expect(response.body.output.map((item: { type: string }) => item.type)).toEqual(['message']);
    expect(outputText(response.body)).toMatch(/^I did not call weather: its arguments are not valid JSON/);
    expect(upstream.calls.length).toBe(before);
  });

  it('returns the tool’s schema error when the arguments do not fit it', async () => {
    const response = await api.post('/v1/responses', {
      input: 'call weather {"town": "Oslo"}',
      tools: ['weather'],
    });
    expect(response.body.output[1].type).toBe('function_call_output');
    expect(outputText(response.body)).toContain("must have required property 'city'");
  });
});
