import { type ApiClient, type PostgresTestServer, startPostgresTestServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { readyz } from './support/scaled/readyz.js';
import { oneTo, ScaledCluster, waitFor, words } from './support/scaled/scaled-cluster.js';

// A PostgreSQL server of its own (initdb in a temporary directory, stopped as a crash would and
// started again on the same port): the machine's server is shared with other tests. One API
// process, one worker.
describe('scaled mode while PostgreSQL restarts', () => {
  let postgres: PostgresTestServer;
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let worker: AgentdProcess;
  let client: ApiClient;

  beforeAll(async () => {
    postgres = await startPostgresTestServer();
    cluster = await ScaledCluster.start({
      postgresUrl: postgres.url,
      // A run whose writes fail for longer than AGENTD_STORAGE_RETRY_MS (default 5 s) is stopped;
      // the outage here (a stop, the checks below, a start) may take longer on a busy machine,
      // and the point is that the run rides it out.
      env: { AGENTD_STORAGE_RETRY_MS: '30000' },
    });
    api = await cluster.spawn('api');
    worker = await cluster.spawn('worker');
    client = cluster.api(api);
    await cluster.registerTool(client, 'lookup');
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await postgres?.close();
  });

  it('a run mid-way resumes once the database is back; /readyz names the outage, then recovers', async () => {
    // Streamed slowly (about 6 s), so the database goes away in the middle of it; longer than the
    // 200 characters safety holds back, so deltas reach the client before that.
    const text = 'streamed word by word while the database goes away and comes back, then stored in full, '
      .repeat(4)
      .trim();
    cluster.script('[pg-down]', (messages) =>
      messages.some((message) => message.role === 'tool')
        ? { chunks: words(text), chunkDelayMs: 100 }
        : { toolCalls: [{ id: 'call_pg', name: 'lookup', arguments: '{"q":"pg"}' }] },
    );
    for (const proc of [api, worker]) {
      expect(await readyz(proc)).toMatchObject({ status: 200, checks: { database: 'ok', run_queue: 'ok' } });
    }
    const created = await client.post('/v1/responses', {
      input: 'look it up [pg-down]',
      tools: ['lookup'],
      background: true,
    });
    expect(created.status).toBe(200);
    const stream = cluster.follow(api, created.body.id);
    const call = await cluster.tools.call(1, { q: 'pg' });
    call.release({ found: 'pg' });
    const deltas = () => stream.events.filter((event) => event.event === 'response.output_text.delta').length;
    await waitFor('the answer to be streaming', () => deltas() >= 2);

    await postgres.stop();
    expect(stream.events.some((event) => event.event === 'response.completed')).toBe(false);
    for (const proc of [api, worker]) {
      const down = await waitFor(`${proc.role} to report the database down`, async () => {
        const ready = await readyz(proc);
        return ready.status === 503 && ready.checks.database === 'unreachable' ? ready : undefined;
      });
      expect(down.checks).toEqual({
        database: 'unreachable',
        redis_events: 'ok',
        redis_cancels: 'ok',
        run_queue: 'unreachable',
      });
    }
    // The run's writes fail meanwhile, and are retried (for up to AGENTD_STORAGE_RETRY_MS).
    await postgres.start();

    for (const proc of [api, worker]) {
      await waitFor(`${proc.role} to report ready again`, async () => (await readyz(proc)).status === 200);
    }
    const events = await stream.done;
    expect(events.at(-1)?.event).toBe('response.completed');
    const log = await cluster.events(client, created.body.id);
    expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
    expect(events.map((event) => Number(event.id))).toEqual(oneTo(log.length));
    const final = await client.get(`/v1/responses/${created.body.id}`);
    expect(final.body.status).toBe('completed');
    expect(final.body.output.at(-1)).toMatchObject({ type: 'message', content: [{ text }] });
    // The tool ran once: the run was resumed where it was, not started over.
    expect(cluster.tools.calls.filter((c) => (c.body as { q?: unknown }).q === 'pg')).toHaveLength(1);

    // New runs are taken again.
    cluster.script('[pg-back]', () => ({ text: 'back again' }));
    const after = await client.post('/v1/responses', { input: 'again [pg-back]', background: true });
    const again = await cluster.follow(api, after.body.id).done;
    expect(again.at(-1)?.event).toBe('response.completed');
  }, 120_000);
});
