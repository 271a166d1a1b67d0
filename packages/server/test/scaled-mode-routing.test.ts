import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { oneTo, ScaledCluster, waitFor, words } from './support/scaled/scaled-cluster.js';

/** agentd's own run events on a stream too, so a stream carries every sequence number. */
const ALL_EVENTS = { 'agentd-events': 'all' };

// Two API processes and two workers on one PostgreSQL database and one Redis.
describe('scaled mode: any API process streams and cancels any run', () => {
  let cluster: ScaledCluster;
  let apiA: AgentdProcess;
  let apiB: AgentdProcess;
  let workers: AgentdProcess[];
  let a: ApiClient;
  let b: ApiClient;

  beforeAll(async () => {
    cluster = await ScaledCluster.start();
    apiA = await cluster.spawn('api');
    // One worker started as `agentd serve --role worker`.
    [apiB, ...workers] = await Promise.all([
      cluster.spawn('api'),
      cluster.spawn('worker'),
      cluster.spawn('worker', {}, { cli: true }),
    ]);
    a = cluster.api(apiA);
    b = cluster.api(apiB as AgentdProcess);
    await cluster.registerTool(a, 'slow_lookup');
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('names its mode and role at start; a worker serves only its probes', async () => {
    for (const worker of workers) {
      expect(worker.stderr()).toContain(
        '  mode:      scaled (PostgreSQL and Redis), role worker: executes runs; serves no API, only /healthz, /readyz and /metrics\n',
      );
      expect(worker.stderr()).not.toContain('  try:  ');
      expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${worker.url}/metrics`)).text()).toMatch(/^agentd_run_queue_depth \d+$/m);
      const api = cluster.api(worker);
      for (const path of ['/v1/responses', '/openapi.json', '/docs']) {
        const refused = await api.get(path);
        expect(refused.status).toBe(404);
        expect(refused.body.error).toMatchObject({
          code: 'route_not_found',
          message: expect.stringContaining('this is a worker process (AGENTD_ROLE=worker)'),
        });
      }
    }
    expect(apiB.stderr()).toContain('  mode:      scaled (PostgreSQL and Redis), role api: API only');
    expect((await b.get('/v1/responses/resp_none')).status).toBe(404);
    expect((await b.get('/openapi.json')).status).toBe(200);
  });

  it('runs a response created on API A on a worker; API B streams it, and resumes with starting_after', async () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';
    cluster.script('[stream-resume]', () => ({ chunks: words(text), chunkDelayMs: 40 }));
    const created = await cluster.openai(apiA).responses.create({
      model: 'fake-model',
      input: 'count [stream-resume]',
      background: true,
    });
    expect(created.status).toBe('queued');

    // Executed by a worker, never by an API process.
    const holder = await waitFor('a worker to hold the run', () => cluster.holder(created.id));
    expect(workers.map((w) => w.pid)).toContain(holder);

    const clientB = cluster.openai(apiB);
    const seen: number[] = [];
    const first = await clientB.responses.retrieve(created.id, { stream: true }, { headers: ALL_EVENTS });
    for await (const event of first) {
      seen.push(event.sequence_number);
      if (event.type === 'response.output_text.delta' && seen.length >= 5) break;
    }
    const resumed = await clientB.responses.retrieve(
      created.id,
      { stream: true, starting_after: seen.at(-1) as number },
      { headers: ALL_EVENTS },
    );
    let last: string | undefined;
    for await (const event of resumed) {
      seen.push(event.sequence_number);
      last = event.type;
    }
    expect(last).toBe('response.completed');
    const log = await cluster.events(b, created.id);
    expect(seen).toEqual(oneTo(log.length));
    expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));

    const final = await cluster.openai(apiA).responses.retrieve(created.id);
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe(text);
    expect(cluster.modelRequests('[stream-resume]')).toHaveLength(1);
  });

  it('answers a create that waits, and one that streams, from a run executed on a worker', async () => {
    cluster.script('[wait-here]', () => ({ text: 'answered through a worker' }));
    const waited = await cluster
      .openai(apiB)
      .responses.create({ model: 'fake-model', input: 'hi [wait-here]' });
    expect(waited.status).toBe('completed');
    expect(waited.output_text).toBe('answered through a worker');

    cluster.script('[stream-here]', () => ({ chunks: words('streamed through a worker'), chunkDelayMs: 10 }));
    const stream = await cluster
      .openai(apiA)
      .responses.create(
        { model: 'fake-model', input: 'hi [stream-here]', stream: true },
        { headers: ALL_EVENTS },
      );
    const seen: number[] = [];
    let id = '';
    for await (const event of stream) {
      seen.push(event.sequence_number);
      if (event.type === 'response.completed') id = event.response.id;
    }
    const log = await cluster.events(a, id);
    expect(seen).toEqual(oneTo(log.length));
    expect(log.at(-1)?.type).toBe('response.completed');
  });

  it('cancels on API B a run whose tool is running on a worker: the tool is aborted, the response ends cancelled', async () => {
    cluster.script('[cancel-b]', () => ({
      toolCalls: [{ id: 'call_cancel', name: 'slow_lookup', arguments: '{"q":"cancel"}' }],
    }));
    const created = await a.post('/v1/responses', {
      input: 'look it up [cancel-b]',
      tools: ['slow_lookup'],
      background: true,
    });
    expect(created.status).toBe(200);
    const call = await cluster.tools.call(1, { q: 'cancel' });
    expect(call.body).toEqual({ q: 'cancel' });
    expect(workers.map((w) => w.pid)).toContain(await cluster.holder(created.body.id));

    const cancelled = await b.post(`/v1/responses/${created.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // The worker aborted the tool's request: its connection was closed before any answer.
    await call.closed;
    expect(call.aborted).toBe(true);

    const stored = await a.get(`/v1/responses/${created.body.id}`);
    expect(stored.body.status).toBe('cancelled');
    const log = await cluster.events(a, created.body.id);
    expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
    expect(log.at(-1)?.type).toBe('response.cancelled');
    expect(cluster.modelRequests('[cancel-b]')).toHaveLength(1);
  });

  it('executes each step once when both workers are handed the same runs at once', async () => {
    const runs = 6;
    for (let i = 0; i < runs; i++) {
      cluster.script(`[race-${i}]`, (messages) =>
        messages.some((message) => message.role === 'tool')
          ? { text: `done ${i}` }
          : { toolCalls: [{ id: `call_race_${i}`, name: 'slow_lookup', arguments: `{"q":"race ${i}"}` }] },
      );
    }
    const before = cluster.tools.calls.length;
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) {
      const client = i % 2 === 0 ? a : b;
      const created = await client.post('/v1/responses', {
        input: `look it up [race-${i}]`,
        tools: ['slow_lookup'],
        background: true,
      });
      ids.push(created.body.id);
    }
    // Every run handed to both workers: two more jobs each, besides the one its creation queued.
    const [row] = await cluster.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM responses WHERE id = $1',
      [ids[0]],
    );
    const tenantId = row?.tenant_id;
    for (const id of ids) {
      for (const copy of ['race-1', 'race-2']) {
        await cluster.query(
          `SELECT graphile_worker.add_job('agentd_run', json_build_object('tenantId', $1::text, 'runId', $2::text),
                  job_key := $3, max_attempts := 1)`,
          [tenantId, id, `${copy}:${id}`],
        );
      }
    }
    // Each run's tool call is answered once it arrives, by whichever worker makes it.
    for (let n = before + 1; n <= before + runs; n++) (await cluster.tools.call(n)).release({ found: n });
    for (const id of ids) {
      const final = await waitFor(`${id} to end`, async () => {
        const got = await a.get(`/v1/responses/${id}`);
        return got.body.status === 'completed' || got.body.status === 'failed' ? got.body : undefined;
      });
      expect(final.status).toBe('completed');
      const log = await cluster.events(a, id);
      expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
    }
    // The model saw each turn once, the tool each call once.
    for (let i = 0; i < runs; i++) expect(cluster.modelRequests(`[race-${i}]`)).toHaveLength(2);
    const raced = cluster.tools.calls.slice(before);
    expect(raced.map((call) => (call.body as { q: string }).q).sort()).toEqual(
      Array.from({ length: runs }, (_, i) => `race ${i}`).sort(),
    );
  });
});
