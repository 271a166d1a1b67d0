import type { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentdProcess, stopAgentd } from './support/scaled/agentd-process.js';
import { oneTo, ScaledCluster, waitFor } from './support/scaled/scaled-cluster.js';
import { expectAnsweredInFull, slowAnswerUnderway } from './support/scaled/slow-answer.js';

const LEASE_MS = 1500;

// One API process and two workers; a worker is killed with SIGKILL while it holds a run.
describe('scaled mode: a run whose worker is killed finishes on the other worker', () => {
  let cluster: ScaledCluster;
  let api: AgentdProcess;
  let client: ApiClient;
  const workers = new Set<AgentdProcess>();

  const spawnWorker = async () => {
    const worker = await cluster.spawn('worker');
    workers.add(worker);
    return worker;
  };
  /** Kills the worker holding the run; a new worker takes its place for the next test. */
  const killHolder = async (runId: string) => {
    const pid = await waitFor(`a worker to hold ${runId}`, () => cluster.holder(runId));
    const holder = [...workers].find((worker) => worker.pid === pid);
    if (!holder) throw new Error(`run ${runId} is held by pid ${pid}, which is not a worker`);
    workers.delete(holder);
    expect(await stopAgentd(holder, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    return { holder, replacement: spawnWorker() };
  };

  beforeAll(async () => {
    cluster = await ScaledCluster.start({ env: { AGENTD_RUN_LEASE_MS: String(LEASE_MS) } });
    api = await cluster.spawn('api');
    await Promise.all([spawnWorker(), spawnWorker()]);
    client = cluster.api(api);
    await cluster.registerTool(client, 'lookup', { idempotent: true });
    await cluster.registerTool(client, 'send_mail');
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('asks the model again when its worker dies mid-turn; the held stream goes on to the end', async () => {
    // The first answer streams slowly, so the worker dies in the middle of it.
    const answer = await slowAnswerUnderway(cluster, api, client, '[crash-model]');
    const killedAt = Date.now();
    const { replacement } = await killHolder(answer.id);

    const events = await expectAnsweredInFull(cluster, client, answer);
    // Picked up once the lease ran out, not long after.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 5_000);
    // The client that saw the partial answer is told it was superseded.
    expect(
      events.some(
        (event) => event.event === 'response.output_item.done' && event.data.item?.superseded === true,
      ),
    ).toBe(true);
    expect(cluster.modelRequests('[crash-model]')).toHaveLength(2);
    await replacement;
  });

  it('calls an idempotent tool again when its worker dies mid-call, and finishes the run', async () => {
    cluster.script('[crash-tool]', (messages) =>
      messages.some((message) => message.role === 'tool')
        ? { text: 'the answer is 42' }
        : { toolCalls: [{ id: 'call_crash', name: 'lookup', arguments: '{"q":"crash"}' }] },
    );
    const before = cluster.tools.calls.length;
    const created = await client.post('/v1/responses', {
      input: 'look it up [crash-tool]',
      tools: ['lookup'],
      background: true,
    });
    const stream = cluster.follow(api, created.body.id);
    const first = await cluster.tools.call(1, { q: 'crash' });
    const { replacement } = await killHolder(created.body.id);
    // The dead worker's request ended with it.
    await first.closed;

    const second = await cluster.tools.call(2, { q: 'crash' });
    expect(second.body).toEqual({ q: 'crash' });
    second.release({ answer: 42 });
    const events = await stream.done;
    expect(events.at(-1)?.event).toBe('response.completed');
    const log = await cluster.events(client, created.body.id);
    expect(events.map((event) => Number(event.id))).toEqual(oneTo(log.length));
    expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
    const final = await client.get(`/v1/responses/${created.body.id}`);
    expect(final.body.status).toBe('completed');
    expect(final.body.output).toMatchObject([
      { type: 'function_call', call_id: 'call_crash', name: 'lookup' },
      { type: 'function_call_output', call_id: 'call_crash', output: '{"answer":42}' },
      { type: 'message', content: [{ type: 'output_text', text: 'the answer is 42' }] },
    ]);
    expect(cluster.tools.calls.length - before).toBe(2);
    // The first turn's answer was recorded before the crash: the model is not asked it again.
    expect(cluster.modelRequests('[crash-tool]')).toHaveLength(2);
    await replacement;
  });

  it('does not call a tool that is not idempotent again: the call fails as interrupted, and the model goes on', async () => {
    cluster.script('[crash-mail]', (messages) =>
      messages.some((message) => message.role === 'tool')
        ? { text: 'I could not confirm the mail was sent.' }
        : { toolCalls: [{ id: 'call_mail', name: 'send_mail', arguments: '{"q":"hello"}' }] },
    );
    const before = cluster.tools.calls.length;
    const created = await client.post('/v1/responses', {
      input: 'send it [crash-mail]',
      tools: ['send_mail'],
      background: true,
    });
    const stream = cluster.follow(api, created.body.id);
    const first = await cluster.tools.call(1, { q: 'hello' });
    const { replacement } = await killHolder(created.body.id);
    await first.closed;

    const events = await stream.done;
    expect(events.at(-1)?.event).toBe('response.completed');
    const log = await cluster.events(client, created.body.id);
    expect(events.map((event) => Number(event.id))).toEqual(oneTo(log.length));
    const final = await client.get(`/v1/responses/${created.body.id}`);
    expect(final.body.output).toMatchObject([
      { type: 'function_call', call_id: 'call_mail', name: 'send_mail' },
      {
        type: 'function_call_output',
        call_id: 'call_mail',
        output: expect.stringMatching(/^Error: interrupted by a worker failure/),
      },
      { type: 'message', content: [{ type: 'output_text', text: 'I could not confirm the mail was sent.' }] },
    ]);
    expect(cluster.tools.calls.length - before).toBe(1);
    expect(cluster.modelRequests('[crash-mail]')).toHaveLength(2);
    await replacement;
  });
});
