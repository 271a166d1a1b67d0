import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentdProcess } from './support/scaled/agentd-process.js';
import { ScaledCluster } from './support/scaled/scaled-cluster.js';

// Three processes on one PostgreSQL database and one Redis (a key prefix of the cluster's own).
describe('scaled mode: N processes enforce one shared limit through Redis', () => {
  let cluster: ScaledCluster;
  let processes: AgentdProcess[];

  beforeAll(async () => {
    cluster = await ScaledCluster.start();
    // One after another: three boots at once on a busy machine can each miss the start time-out.
    processes = [];
    for (let i = 0; i < 3; i++) processes.push(await cluster.spawn('all'));
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it("counts a tenant's requests to any of 3 processes against one limit", async () => {
    const platform = cluster.api(processes[0]!);
    const created = await platform.post('/v1/tenants', { name: 'shared-limit' });
    expect(created.status).toBe(200);
    const set = await platform.request('PUT', `/v1/tenants/${created.body.id}/limits`, {
      rate_limits: { tenant: { requests: 5, per_seconds: 600 } },
    });
    expect(set.status).toBe(200);
    const clients = processes.map((proc) => cluster.api(proc).withKey(created.body.api_key.value));

    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 9; i++) {
      const answer = await clients[i % 3]!.get('/v1/models');
      statuses.push(answer.status);
      remaining.push(answer.headers.get('x-ratelimit-remaining-requests') ?? '');
    }
    // Each process alone would have let all 9 through (3 each, under 5).
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(remaining).toEqual(['4', '3', '2', '1', '0', '0', '0', '0', '0']);
    const refused = await clients[2]!.get('/v1/models');
    expect(refused.body.error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
      message: expect.stringContaining('Rate limit reached for your tenant: 5 requests per 600 s'),
    });
    // A token bucket: one request comes back every 600 / 5 = 120 s.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(120);
  });

  it('counts one daily tool quota across the processes that run the calls', async () => {
    const platform = cluster.api(processes[1]!);
    const created = await platform.post('/v1/tenants', { name: 'shared-quota' });
    const tenant = processes.map((proc) => cluster.api(proc).withKey(created.body.api_key.value));
    await platform.request('PUT', `/v1/tenants/${created.body.id}/limits`, {
      tool_quotas: [{ tool: 'slow_lookup', per: 'tenant', calls_per_day: 2 }],
    });
    await cluster.registerTool(tenant[0]!, 'slow_lookup');
    const outputs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const marker = `quota-run-${i}`;
      cluster.script(marker, (_messages, attempt) =>
        attempt === 1
          ? { toolCalls: [{ id: `call_${i}`, name: 'slow_lookup', arguments: '{"q":"x"}' }] }
          : { text: 'done' },
      );
      const created = tenant[i % 3]!.post('/v1/responses', { input: marker, tools: ['slow_lookup'] });
      // The first two calls reach the tool (answered here); the third is denied before it runs.
      if (i < 2) (await cluster.tools.call(i + 1)).release({ found: i });
      const run = await created;
      expect(run.status).toBe(200);
      const output = (run.body.output as { type: string; output?: string }[]).find(
        (item) => item.type === 'function_call_output',
      );
      outputs.push(output?.output ?? '');
    }
    expect(outputs[0]).not.toContain('was not run');
    expect(outputs[1]).not.toContain('was not run');
    expect(outputs[2]).toContain('the daily quota of 2 calls of slow_lookup per tenant is used up');
    expect(cluster.tools.calls).toHaveLength(2);
  });
});
