import { describe, expect, it } from 'vitest';
import { ChainWalker, GENESIS_HASH, linkHash } from './audit-chain.js';
import type { AuditRecord } from './audit-event.js';
import { redactArguments } from './redact-arguments.js';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence++) {
    const unhashed = {
      tenantId: 'tenant_a',
      sequence,
      id: `audit_${sequence}`,
      type: 'agent.created',
      effectiveAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
      actor: { type: 'system' as const },
      resource: { type: 'agent', id: `agent_${sequence}` },
      data: { name: `agent-${sequence}`, version: 1 },
      prevHash,
    };
    const record = { ...unhashed, hash: linkHash(unhashed) };
    records.push(record);
    prevHash = record.hash;
  }
  return records;
}

describe('the audit chain', () => {
  it('hashes the canonical form: key order does not matter, content does', () => {
    const [record] = chain(1);
    const reordered = { ...record!, data: { version: 1, name: 'agent-1' } };
    expect(linkHash(reordered)).toBe(record!.hash);
    expect(linkHash({ ...record!, data: { name: 'agent-1', version: 2 } })).not.toBe(record!.hash);
    expect(record!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('walks an intact chain to its head', () => {
    const records = chain(5);
    const walker = new ChainWalker();
    expect(walker.check(records)).toBe(true);
    expect(walker.end({ sequence: 5, hash: records[4]!.hash })).toBeNull();
    expect(walker.verified).toBe(5);
  });

  it('names a row added past the head, and a head that was rewritten', () => {
    const records = chain(4);
    const past = new ChainWalker();
    past.check(records);
    expect(past.end({ sequence: 3, hash: records[2]!.hash })).toEqual({
      sequence: 4,
      id: null,
      reason: 'head_mismatch',
    });
    const rewritten = new ChainWalker();
    rewritten.check(records);
    expect(rewritten.end({ sequence: 4, hash: 'f'.repeat(64) })?.reason).toBe('head_mismatch');
  });

  it('names a row moved out of place', () => {
    const records = chain(4);
    const walker = new ChainWalker();
    const swapped = [records[0]!, { ...records[2]!, sequence: 2 }, records[3]!];
    expect(walker.check(swapped)).toBe(false);
    expect(walker.broken).toEqual({ sequence: 2, id: 'audit_3', reason: 'prev_hash_mismatch' });
  });
});

describe('tool arguments in the audit log', () => {
  it('redacts secret-named keys at any depth and keys inside strings, and keeps the rest', () => {
    expect(
      redactArguments(
        JSON.stringify({
          city: 'Oslo',
          auth: { Client_Secret: 's3cret', headers: { Authorization: 'Bearer x' } },
          list: ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 42],
          card: '4111 1111 1111 1111',
        }),
      ),
    ).toEqual({
      city: 'Oslo',
      auth: { Client_Secret: '[redacted]', headers: { Authorization: '[redacted]' } },
      list: ['[redacted api key]', 42],
      card: '[redacted card]',
    });
  });

  it('keeps arguments that are not JSON as redacted text', () => {
    expect(redactArguments('not json sk-proj-Zk39fQ2mWx81LpRt5vBn7Yc4')).toBe('not json [redacted api key]');
  });
});
