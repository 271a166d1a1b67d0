import { type Agentd, BACKENDS, startAgentd } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The chain catches what the database's own access allows: a row edited
 * (after the trigger that refuses it is switched off, as an owner of the
 * database can), or deleted. Verification names exactly that row.
 */
describe.each(BACKENDS)('the audit chain on %s', (backend) => {
  let agentd: Agentd;
  let platform: ApiClient;

  /** A new tenant with a chain of `agents + 1` events (its creation, then one per agent). */
  async function tenantWithChain(name: string, agents: number) {
    const tenant = await platform.post('/v1/tenants', { name });
    expect(tenant.status).toBe(200);
    const api = new ApiClient(agentd.server.url, tenant.body.api_key.value);
    for (let index = 0; index < agents; index++) {
      expect((await api.post('/v1/agents', { name: `agent-${index}` })).status).toBe(200);
    }
    const page = await api.get('/v1/audit_events?order=asc&limit=100');
    return {
      api,
      id: tenant.body.id as string,
      events: page.body.data as { id: string; chain: { sequence: number } }[],
    };
  }

  /** Runs SQL as the database's owner would, with the append-only trigger off. */
  async function tamper(sql: string, params: (string | number)[]) {
    const { db } = agentd.server.server.services;
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete');
      await tx.query(sql, params);
      await tx.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete');
    });
  }

  beforeAll(async () => {
    agentd = await startAgentd({ backend });
    platform = agentd.api;
  });
  afterAll(async () => {
    await agentd?.close();
  });

  it('verifies an intact chain, and refuses UPDATE and DELETE of its rows', async () => {
    const { api, id, events } = await tenantWithChain(`intact-${backend}`, 3);
    expect(events.map((event) => event.chain.sequence)).toEqual([1, 2, 3, 4]);
    const verified = await api.get('/v1/audit_events/verify');
    expect(verified.body).toMatchObject({
      valid: true,
      events_verified: 4,
      head: { sequence: 4 },
      broken: null,
    });

    const { db } = agentd.server.server.services;
    await expect(
      db.query("UPDATE audit_events SET type = 'agent.deleted' WHERE tenant_id = $1", [id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_events WHERE tenant_id = $1', [id])).rejects.toThrow(
      /append-only/,
    );
    expect((await api.get('/v1/audit_events/verify')).body.valid).toBe(true);
  });

  it('names the edited row', async () => {
    const { api, id, events } = await tenantWithChain(`edited-${backend}`, 5);
    const target = events[3]!;
    await tamper(
      `UPDATE audit_events SET payload = '{"id":"agent_x","name":"someone-else","version":1,"changes":{}}'
       WHERE tenant_id = $1 AND sequence = $2`,
      [id, 4],
    );
    const verified = await api.get('/v1/audit_events/verify');
    expect(verified.body).toMatchObject({
      valid: false,
      events_verified: 3,
      broken: { sequence: 4, id: target.id, reason: 'hash_mismatch' },
    });
  });

  it('names the row after one whose hash was forged to match its edit', async () => {
    const { api, id, events } = await tenantWithChain(`forged-${backend}`, 4);
    await tamper("UPDATE audit_events SET hash = repeat('f', 64) WHERE tenant_id = $1 AND sequence = $2", [
      id,
      2,
    ]);
    const verified = await api.get('/v1/audit_events/verify');
    // Row 2 no longer matches its own content; even with a consistent hash, row 3 would not follow it.
    expect(verified.body.broken).toEqual({ sequence: 2, id: events[1]!.id, reason: 'hash_mismatch' });
  });

  it('names a deleted row, and a deleted last row', async () => {
    const middle = await tenantWithChain(`deleted-${backend}`, 4);
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND sequence = $2', [middle.id, 3]);
    expect((await middle.api.get('/v1/audit_events/verify')).body).toMatchObject({
      valid: false,
      events_verified: 2,
      broken: { sequence: 3, id: null, reason: 'missing' },
    });

    const last = await tenantWithChain(`truncated-${backend}`, 2);
    await tamper('DELETE FROM audit_events WHERE tenant_id = $1 AND sequence = $2', [last.id, 3]);
    expect((await last.api.get('/v1/audit_events/verify')).body).toMatchObject({
      valid: false,
      events_verified: 2,
      broken: { sequence: 3, reason: 'missing' },
    });
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    const { api } = await tenantWithChain(`concurrent-${backend}`, 0);
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) => api.post('/v1/agents', { name: `parallel-${index}` })),
    );
    expect(created.every((response) => response.status === 200)).toBe(true);
    expect((await api.get('/v1/audit_events/verify')).body).toMatchObject({
      valid: true,
      events_verified: 21,
    });
  });

  it('records and verifies a change whose text holds NUL and a lone surrogate', async () => {
    const { api } = await tenantWithChain(`unstorable-${backend}`, 0);
    const created = await api.post('/v1/agents', { name: 'nul-agent', instructions: 'a\u0000b\udc00' });
    expect(created.status).toBe(200);
    expect(created.body.instructions).toBe('a\uFFFDb\uFFFD');
    const page = await api.get('/v1/audit_events?order=asc&limit=100');
    const event = page.body.data.at(-1);
    expect(event[event.type].changes.instructions).toBe('a\uFFFDb\uFFFD');
    expect((await api.get('/v1/audit_events/verify')).body).toMatchObject({
      valid: true,
      events_verified: 2,
    });
  });
});
