import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentdProcess, stopAgentd, waitForExit } from './support/scaled/agentd-process.js';
import { oneTo, type RunScript, ScaledCluster, waitFor } from './support/scaled/scaled-cluster.js';

/** Long enough that a run taken over before it runs out was handed back, not found abandoned. */
const LEASE_MS = 10_000;

/** A tool call first, then an answer. */
const lookupThenAnswer =
  (q: string, answer: string): RunScript =>
  (messages) =>
    messages.some((message) => message.role === 'tool')
      ? { text: answer }
      : { toolCalls: [{ id: `call_${q}`, name: 'lookup', arguments: JSON.stringify({ q }) }] };

// One API process; workers given SIGTERM while they hold a run (AGENTD_DRAIN_TIMEOUT_MS).
describe('scaled mode: a worker given SIGTERM drains', () => {
  let cluster: ScaledCluster;
  let client: ApiClient;
  const workers: AgentdProcess[] = [];

  /** A worker that logs its shutdown, so the test knows when it has stopped claiming. */
  const spawnWorker = async (drainMs: number) => {
    const worker = await cluster.spawn('worker', {
      AGENTD_DRAIN_TIMEOUT_MS: String(drainMs),
      AGENTD_LOG_LEVEL: 'info',
    });
    workers.push(worker);
    return worker;
  };
  const sigterm = async (worker: AgentdProcess) => {
    worker.child.kill('SIGTERM');
    await waitFor('the worker to start shutting down', () =>
      worker.stdout().includes('"msg":"shutting down"'),
    );
  };
  const callsFor = (q: string) =>
    cluster.tools.calls.filter((call) => (call.body as { q?: unknown }).q === q).length;
  const byPid = (pid: number | undefined) => workers.find((worker) => worker.pid === pid);
  const completed = async (id: string) => {
    const final = await waitFor(`${id} to end`, async () => {
      const got = await client.get(`/v1/responses/${id}`);
      return ['completed', 'failed', 'cancelled', 'incomplete'].includes(got.body.status)
        ? got.body
        : undefined;
    });
    expect(final.status).toBe('completed');
    const log = await cluster.events(client, id);
    expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
    return final;
  };

  beforeAll(async () => {
    cluster = await ScaledCluster.start({ env: { AGENTD_RUN_LEASE_MS: String(LEASE_MS) } });
    const api = await cluster.spawn('api');
    client = cluster.api(api);
    await cluster.registerTool(client, 'lookup', { idempotent: true });
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('stops claiming, finishes the run in hand within the grace, and exits 0', async () => {
    const draining = await spawnWorker(20_000);
    cluster.script('[drain-finish]', lookupThenAnswer('finish', 'finished before the exit'));
    cluster.script('[drain-elsewhere]', lookupThenAnswer('elsewhere', 'run by the other worker'));
    const inHand = await client.post('/v1/responses', {
      input: 'look it up [drain-finish]',
      tools: ['lookup'],
      background: true,
    });
    const call = await cluster.tools.call(1, { q: 'finish' });
    expect(await cluster.holder(inHand.body.id)).toBe(draining.pid);

    const other = await spawnWorker(300);
    expect((await fetch(`${draining.url}/readyz`)).status).toBe(200);
    await sigterm(draining);
    // Not ready while it drains, so a load balancer sends it no more work; still alive.
    const ready = await fetch(`${draining.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({
      database: 'ok',
      run_queue: 'ok',
      draining: expect.stringMatching(/^stopping/),
    });
    expect((await fetch(`${draining.url}/healthz`)).status).toBe(200);
    // A run queued while it drains goes to the other worker.
    const queued = await client.post('/v1/responses', {
      input: 'look it up [drain-elsewhere]',
      tools: ['lookup'],
      background: true,
    });
    const elsewhere = await cluster.tools.call(1, { q: 'elsewhere' });
    expect(await cluster.holder(queued.body.id)).toBe(other.pid);
    expect(draining.running()).toBe(true);

    call.release({ found: 'finish' });
    expect((await completed(inHand.body.id)).output.at(-1).content[0].text).toBe('finished before the exit');
    expect(await waitForExit(draining)).toEqual({ code: 0, signal: null });
    elsewhere.release({ found: 'elsewhere' });
    expect((await completed(queued.body.id)).output.at(-1).content[0].text).toBe('run by the other worker');
    // Each step once: the drained worker's run was not taken over.
    expect(call.aborted).toBe(false);
    expect(callsFor('finish')).toBe(1);
    expect(callsFor('elsewhere')).toBe(1);
    expect(cluster.modelRequests('[drain-finish]')).toHaveLength(2);
  });

  it('hands back a run that outlasts the grace: the other worker takes it at once and finishes it', async () => {
    // Two workers, each with a short grace: whichever holds the run is stopped, the other takes it.
    while (workers.filter((worker) => worker.running()).length < 2) await spawnWorker(300);
    cluster.script('[drain-handback]', lookupThenAnswer('handback', 'finished elsewhere'));
    const created = await client.post('/v1/responses', {
      input: 'look it up [drain-handback]',
      tools: ['lookup'],
      background: true,
    });
    const first = await cluster.tools.call(1, { q: 'handback' });
    const holder = byPid(await cluster.holder(created.body.id));
    if (!holder) throw new Error('no worker holds the run');

    const stoppedAt = Date.now();
    await sigterm(holder);
    // The grace runs out with the tool still busy: the call is stopped and the run handed back.
    await first.closed;
    expect(await waitForExit(holder)).toEqual({ code: 0, signal: null });
    const second = await cluster.tools.call(2, { q: 'handback' });
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS / 2);
    const taker = byPid(await cluster.holder(created.body.id));
    expect(taker?.running()).toBe(true);
    expect(taker?.pid).not.toBe(holder.pid);
    second.release({ found: 'handback' });
    expect((await completed(created.body.id)).output.at(-1).content[0].text).toBe('finished elsewhere');
    expect(callsFor('handback')).toBe(2);
    expect(cluster.modelRequests('[drain-handback]')).toHaveLength(2);
  });

  it('still hears a cancel for the run in hand while it drains', async () => {
    const draining = await spawnWorker(20_000);
    cluster.script('[drain-cancel]', lookupThenAnswer('drain-cancel', 'not reached'));
    // Only the draining worker runs, so it holds the run.
    for (const worker of workers) if (worker !== draining && worker.running()) await stopAgentd(worker);
    const created = await client.post('/v1/responses', {
      input: 'look it up [drain-cancel]',
      tools: ['lookup'],
      background: true,
    });
    const call = await cluster.tools.call(1, { q: 'drain-cancel' });
    expect(await cluster.holder(created.body.id)).toBe(draining.pid);
    await sigterm(draining);

    const cancelled = await client.post(`/v1/responses/${created.body.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await call.closed;
    expect(await waitForExit(draining)).toEqual({ code: 0, signal: null });
    expect((await client.get(`/v1/responses/${created.body.id}`)).body.status).toBe('cancelled');
    expect(cluster.modelRequests('[drain-cancel]')).toHaveLength(1);
  });
});
