import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, linkHash } from './audit-chain.js';
import type { AuditActor, AuditEventInput } from './audit-event.js';
import { chainRecords } from './chain-records.js';

const actor: AuditActor = {
  type: 'api_key',
  api_key: { id: 'key_1', role: 'member', user: { id: 'user_1' } },
};

const inputs: AuditEventInput[] = [
  {
    tenantId: 'tenant_a',
    type: 'tool_call.completed',
    actor,
    resource: { type: 'response', id: 'resp_1' },
    data: {
      response_id: 'resp_1',
      name: 'refund',
      arguments: { amount: 12.5, note: 'é "quoted" \u2028 \ud83d\ude00', zeta: 1, alpha: [1e21, -0, null] },
      skipped: undefined,
      when: new Date(Date.UTC(2026, 0, 1)),
      nul: 'a\u0000b',
    },
  },
  { tenantId: 'tenant_b', type: 'login.failed', actor: { type: 'anonymous', anonymous: {} }, data: {} },
  {
    tenantId: 'tenant_a',
    type: 'response.completed',
    actor,
    resource: { type: 'response', id: 'resp_1' },
    data: { usage: null },
  },
];

describe('chainRecords', () => {
  it("hashes each record as linkHash does (the verifier's RFC 8785 form) and chains per tenant", () => {
    const tips = new Map([
      ['tenant_a', { sequence: 7, hash: 'a'.repeat(64) }],
      ['tenant_b', { sequence: 0, hash: GENESIS_HASH }],
    ]);
    const { records } = chainRecords(tips, inputs);
    for (const record of records) expect(record.hash).toBe(linkHash(record));
    expect(records.map((record) => [record.tenantId, record.sequence])).toEqual([
      ['tenant_a', 8],
      ['tenant_b', 1],
      ['tenant_a', 9],
    ]);
    expect(records[2]?.prevHash).toBe(records[0]?.hash);
    expect(tips.get('tenant_a')).toEqual({ sequence: 9, hash: records[2]?.hash });
  });

  it('gives rows whose JSON is the records as stored, payload and actor as plain JSON', () => {
    const { records, rows } = chainRecords(
      new Map([
        ['tenant_a', { sequence: 0, hash: GENESIS_HASH }],
        ['tenant_b', { sequence: 0, hash: GENESIS_HASH }],
      ]),
      inputs,
    );
    const parsed = JSON.parse(rows) as Record<string, unknown>[];
    expect(parsed).toEqual(
      records.map((record) => ({
        tenant_id: record.tenantId,
        sequence: record.sequence,
        id: record.id,
        type: record.type,
        effective_at: record.effectiveAt,
        actor_id: record.actor.type === 'api_key' ? 'user_1' : null,
        actor: record.actor,
        resource_type: record.resource?.type ?? null,
        resource_id: record.resource?.id ?? null,
        payload: record.data,
        prev_hash: record.prevHash,
        hash: record.hash,
      })),
    );
    // What a reader gets back hashes to the stored hash: the undefined field gone, the date a string, NUL replaced.
    const first = parsed[0]?.payload as Record<string, unknown>;
    expect(first).not.toHaveProperty('skipped');
    expect(first.when).toBe('2026-01-01T00:00:00.000Z');
    expect(first.nul).not.toContain('\u0000');
  });
});
