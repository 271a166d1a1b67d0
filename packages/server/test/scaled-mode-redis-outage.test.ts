import { type ApiClient, type RedisTestServer, startRedisTestServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { readyz } from './support/scaled/readyz.js';
import { oneTo, ScaledCluster, waitFor, words } from './support/scaled/scaled-cluster.js';

// Redis of its own (a private redis-server, killed and started again), one API process, one worker.
describe('scaled mode while Redis is away', () => {
  let redis: RedisTestServer;
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let worker: AgentdProcess;
  let client: ApiClient;

  beforeAll(async () => {
    redis = await startRedisTestServer();
    cluster = await ScaledCluster.start({ redisUrl: redis.url });
    api = await cluster.spawn('api');
    worker = await cluster.spawn('worker');
    client = cluster.api(api);
    await cluster.registerTool(client, 'lookup');
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it('runs on and streams from the database; /readyz names the outage, then recovers', async () => {
    const text = 'still streaming while the event bus is down, from the database';
    cluster.script('[redis-down]', (messages) =>
      messages.some((message) => message.role === 'tool')
        ? { chunks: words(text), chunkDelayMs: 20 }
        : { toolCalls: [{ id: 'call_redis', name: 'lookup', arguments: '{"q":"redis"}' }] },
    );
    for (const proc of [api, worker]) {
      expect(await readyz(proc)).toEqual({
        status: 200,
        checks: {
          database: 'ok',
          migrations: expect.stringMatching(/^at \d+$/),
          redis_events: 'ok',
          redis_cancels: 'ok',
          run_queue: 'ok',
        },
      });
    }
    const created = await client.post('/v1/responses', {
      input: 'look it up [redis-down]',
      tools: ['lookup'],
      background: true,
    });
    const stream = cluster.follow(api, created.body.id);
    const call = await cluster.tools.call(1, { q: 'redis' });

    await redis.kill();
    for (const proc of [api, worker]) {
      // Each Redis connection (events, cancels) notices the outage on its own: wait until both have.
      const down = await waitFor(`${proc.role} to report Redis down`, async () => {
        const ready = await readyz(proc);
        const checks = ready.checks as Record<string, string> | undefined;
        const both = checks?.redis_events === 'unreachable' && checks?.redis_cancels === 'unreachable';
        return ready.status === 503 && both ? ready : undefined;
      });
      expect(down.status).toBe(503);
      expect(down.checks).toMatchObject({
        database: 'ok',
        redis_events: 'unreachable',
        redis_cancels: 'unreachable',
        run_queue: 'ok',
      });
    }

    // The run goes on, and the held stream reaches its end from the log, with Redis still down.
    const released = Date.now();
    call.release({ found: 'redis' });
    await waitFor('the stream to end', () =>
      stream.events.some((event) => event.event === 'response.completed'),
    );
    // Polled from the log as soon as the bus is seen down, not after a quiet stream's 10 s.
    expect(Date.now() - released).toBeLessThan(8_000);
    expect(redis.running).toBe(false);
    const events = await stream.done;
    const log = await cluster.events(client, created.body.id);
    expect(events.map((event) => Number(event.id))).toEqual(oneTo(log.length));
    const final = await client.get(`/v1/responses/${created.body.id}`);
    expect(final.body.status).toBe('completed');
    expect(final.body.output.at(-1)).toMatchObject({ type: 'message', content: [{ text }] });

    await redis.restart();
    for (const proc of [api, worker]) {
      await waitFor(`${proc.role} to report ready again`, async () => (await readyz(proc)).status === 200);
    }
    // Live events flow again: a new run streams to its end.
    cluster.script('[redis-back]', () => ({ text: 'back again' }));
    const after = await client.post('/v1/responses', { input: 'again [redis-back]', background: true });
    const again = await cluster.follow(api, after.body.id).done;
    expect(again.at(-1)?.event).toBe('response.completed');
    expect(again.map((event) => Number(event.id))).toEqual(oneTo(again.length));
  });
});
