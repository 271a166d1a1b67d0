/**
 * The start-up warm-up of `agentd serve` (warmRunPath): it pays what a first
 * run would, and leaves nothing a user could see — no audit event, no
 * response, no usage, no conversation, no row at all in the tables a run
 * writes (its statements are sent with empty recordsets and a tenant that
 * does not exist) — and runs after it answer as before.
 */

import { warmRunPath } from '@agentd/server';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TABLES = [
  'responses',
  'response_event_batches',
  'usage_records',
  'audit_events',
  'audit_chain_heads',
  'api_keys',
  'conversations',
  'tenant_limits',
  'tenant_policy_sets',
  'policies',
  'tools',
  'tenant_network_rules',
  'tenant_safety_settings',
];

describe('warmRunPath (pglite)', () => {
  let agentd: Agentd;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  /** What a tenant can read, and every row of the tables a run writes. */
  async function traces() {
    const hour = Math.floor(Date.now() / 3_600_000) * 3600;
    const db = agentd.server.server.services.db;
    const rows: Record<string, unknown> = {};
    for (const table of TABLES) rows[table] = await db.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    return {
      audit: (await agentd.api.get('/v1/audit_events')).body,
      usage: (await agentd.api.get(`/v1/usage?start_time=${hour - 3600}&end_time=${hour + 7200}`)).body,
      conversations: (await agentd.api.get('/v1/conversations')).body,
      rows,
    };
  }

  it('warms without leaving a trace, and a run after it answers', { timeout: 60_000 }, async () => {
    // Some rows first, so that a write that touched existing rows would show.
    const first = await agentd.api.post('/v1/responses', { model: 'scripted', input: 'hello' });
    expect(first.body.status).toBe('completed');
    const before = await traces();
    expect(before.audit.data.length).toBeGreaterThan(0);
    await expect(warmRunPath(agentd.server.server.services, agentd.server.url)).resolves.toBeUndefined();
    expect(await traces()).toEqual(before);
    const run = await agentd.api.post('/v1/responses', { model: 'scripted', input: 'hello' });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('completed');
  });
});
