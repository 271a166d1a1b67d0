import {
  type Agentd,
  type AgentdWithFakeModel,
  startAgentd,
  startAgentdWithFakeModel,
} from '@agentd/test-server';
import { readSse, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePrometheusText } from './support/prometheus-text.js';

describe('GET /metrics: Prometheus metrics of the process', () => {
  let agentd: Agentd;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  const scrape = async () => {
    const response = await fetch(`${agentd.server.url}/metrics`);
    return { response, text: await response.text() };
  };

  it("is served without a key in Prometheus's text format, with the queue depth the autoscaler reads", async () => {
    const { response, text } = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/^agentd_run_queue_depth 0$/m);
    expect(text).toMatch(/^agentd_runs_in_progress 0$/m);
    expect(text).toMatch(/^agentd_process_resident_memory_bytes \d+/m);
  });

  it('counts requests by route pattern and status, and runs by how they ended, with no id in a label', async () => {
    const created = await agentd.api.post('/v1/responses', { model: 'scripted', input: 'hello' });
    expect(created.status).toBe(200);
    const missing = await agentd.api.get('/v1/responses/resp_does_not_exist');
    expect(missing.status).toBe(404);
    const { text } = await scrape();
    expect(text).toMatch(
      /^agentd_http_request_duration_seconds_count\{method="POST",route="\/v1\/responses",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^agentd_http_request_duration_seconds_count\{method="GET",route="\/v1\/responses\/:id",status="404"\} [1-9]/m,
    );
    expect(text).toMatch(/^agentd_runs_ended_total\{status="completed"\} [1-9]/m);
    expect(text).not.toContain(created.body.id);
    expect(text).not.toContain('resp_does_not_exist');
    expect(text).not.toContain(agentd.server.adminKey);
  });
});

describe('GET /metrics: runs, model calls, tool calls and streams, parsed', () => {
  let agentd: AgentdWithFakeModel;
  let tools: ToolServer;

  beforeAll(async () => {
    tools = await startToolServer({
      weather: () => ({ celsius: -3 }),
      broken: () => {
        throw new Error('the weather station is down');
      },
    });
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
  });
  afterAll(async () => {
    await agentd?.close();
    await tools?.close();
  });

  const scrape = async () => {
    const response = await fetch(`${agentd.server.url}/metrics`);
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  };
  const tool = (name: string) => ({
    type: 'function',
    name,
    parameters: { type: 'object', properties: {} },
    endpoint: { url: `${tools.url}/${name}` },
  });

  it("names every family by Prometheus's conventions: agentd_ prefix, units in the name, counters in _total", async () => {
    const metrics = await scrape();
    expect(metrics.types.size).toBeGreaterThan(20);
    for (const [name, type] of metrics.types) {
      expect(name).toMatch(/^agentd_[a-z0-9_]+$/);
      if (type === 'counter') expect(name).toMatch(/_total$/);
      if (type === 'histogram') expect(name).toMatch(/_(seconds|bytes)$/);
      expect(metrics.help.get(name), `HELP of ${name}`).toBeTruthy();
    }
    // Node's own: event-loop delay and memory.
    expect(metrics.types.get('agentd_nodejs_eventloop_lag_p99_seconds')).toBe('gauge');
    expect(metrics.find('agentd_nodejs_heap_size_used_bytes')[0]?.value).toBeGreaterThan(0);
    expect(metrics.types.get('agentd_sandbox_pool_warm')).toBe('gauge');
  });

  it('counts model calls by model with latency, time to first token and tokens, and tool calls by tool and outcome', async () => {
    agentd.fake.enqueue(
      {
        toolCalls: [
          { name: 'weather', arguments: '{}' },
          { name: 'broken', arguments: '{}' },
        ],
        usage: { prompt_tokens: 40, completion_tokens: 6 },
      },
      { text: 'It is cold, and one station is down.', usage: { prompt_tokens: 70, completion_tokens: 11 } },
    );
    const created = await agentd.api.post('/v1/responses', {
      model: 'fake-model',
      input: 'Weather?',
      tools: [tool('weather'), tool('broken')],
    });
    expect(created.body.status).toBe('completed');
    const metrics = await scrape();
    const calls = metrics.find('agentd_model_call_duration_seconds_count', {
      model: 'fake-model',
      outcome: 'completed',
    });
    expect(calls[0]?.value).toBe(2);
    expect(
      metrics.find('agentd_model_time_to_first_token_seconds_count', { model: 'fake-model' })[0]?.value,
    ).toBe(2);
    const tokens = (type: string) =>
      metrics.find('agentd_model_tokens_total', { model: 'fake-model', type })[0]?.value;
    expect(tokens('input')).toBe(110);
    expect(tokens('output')).toBe(17);
    const toolCalls = (name: string, status: string) =>
      metrics.find('agentd_tool_call_duration_seconds_count', { tool: name, status })[0]?.value;
    expect(toolCalls('weather', 'completed')).toBe(1);
    expect(toolCalls('broken', 'failed')).toBe(1);
    expect(metrics.find('agentd_run_duration_seconds_count', { status: 'completed' })[0]?.value).toBe(1);
    expect(metrics.find('agentd_runs_ended_total', { status: 'completed' })[0]?.value).toBe(1);
    expect(metrics.find('agentd_run_lease_losses_total')[0]?.value).toBe(0);
  });

  it('counts a model call that failed the run (a model outage)', async () => {
    agentd.fake.enqueue(...Array.from({ length: 5 }, () => ({ error: { status: 503 } })));
    const created = await agentd.api.post('/v1/responses', { model: 'fake-model', input: 'Hello?' });
    expect(created.body.status).toBe('failed');
    const metrics = await scrape();
    expect(
      metrics.find('agentd_model_call_duration_seconds_count', { model: 'fake-model', outcome: 'failed' })[0]
        ?.value,
    ).toBe(1);
    expect(metrics.find('agentd_runs_ended_total', { status: 'failed' })[0]?.value).toBe(1);
  });

  it('shows the streams open now', async () => {
    agentd.fake.reset();
    agentd.fake.enqueue({ text: 'one two three four', hangAfterChunks: 2 });
    const stop = new AbortController();
    const response = await fetch(`${agentd.baseURL}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentd.server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-model', input: 'Count', stream: true }),
      signal: stop.signal,
    });
    for await (const event of readSse(response)) if (event.event === 'response.output_text.delta') break;
    expect((await scrape()).find('agentd_open_streams')[0]?.value).toBe(1);
    stop.abort();
    await vi.waitFor(async () => expect((await scrape()).find('agentd_open_streams')[0]?.value).toBe(0));
  });
});

describe('GET /metrics: its own key and its own port', () => {
  const key = 'metrics-key-0123456789abcdef';
  let agentd: Agentd;

  beforeAll(async () => {
    agentd = await startAgentd({
      backend: 'pglite',
      env: { AGENTD_METRICS_KEY: key, AGENTD_METRICS_PORT: '0' },
    });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('serves them on the metrics port only, with the key', async () => {
    const port = agentd.server.server.metricsPort;
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(agentd.server.server.port);
    const url = `http://127.0.0.1:${port}/metrics`;
    const withKey = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    expect(withKey.status).toBe(200);
    expect(await withKey.text()).toMatch(/^agentd_run_queue_depth 0$/m);

    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect((await without.json()).error.code).toBe('invalid_metrics_key');
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${key}x` } });
    expect(wrong.status).toBe(401);

    const onApi = await fetch(`${agentd.server.url}/metrics`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(onApi.status).toBe(404);
    expect((await onApi.json()).error.message).toContain('AGENTD_METRICS_PORT');
  });
});
