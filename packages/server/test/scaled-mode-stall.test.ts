import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { ScaledCluster, waitFor } from './support/scaled/scaled-cluster.js';
import { expectAnsweredInFull, slowAnswerUnderway } from './support/scaled/slow-answer.js';

const LEASE_MS = 1500;

// One API process and one worker. The worker is stopped (SIGSTOP: a long pause, a frozen VM)
// while it holds a run, until its lease has run out, and then let go on. Nobody claimed the run
// meanwhile, so the worker's fenced writes would still pass: it must hand the run back, not end it.
describe('scaled mode: a worker paused past its lease hands the run back instead of ending it', () => {
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let worker: AgentdProcess | undefined;
  let client: ApiClient;

  beforeAll(async () => {
    cluster = await ScaledCluster.start({ env: { AGENTD_RUN_LEASE_MS: String(LEASE_MS) } });
    [api, worker] = await Promise.all([cluster.spawn('api'), cluster.spawn('worker')]);
    client = cluster.api(api);
  }, 60_000);
  afterAll(async () => {
    if (worker) process.kill(worker.pid, 'SIGCONT');
    await cluster?.close();
  });

  it('resumes the run once the lease ran out: it completes, never cancelled, its log without a gap', async () => {
    const paused = worker as AgentdProcess;
    const answer = await slowAnswerUnderway(cluster, api, client, '[stall-model]');
    expect(await cluster.holder(answer.id)).toBe(paused.pid);

    process.kill(paused.pid, 'SIGSTOP');
    try {
      await waitFor(
        'the paused worker to lose its lease',
        async () => (await cluster.holder(answer.id)) === undefined,
      );
    } finally {
      process.kill(paused.pid, 'SIGCONT');
    }

    await expectAnsweredInFull(cluster, client, answer);
    const log = await cluster.events(client, answer.id);
    expect(log.map((event) => event.type)).not.toContain('response.cancelled');
    // The answer cut by the pause was asked again, once.
    expect(cluster.modelRequests('[stall-model]')).toHaveLength(2);
  });
});
