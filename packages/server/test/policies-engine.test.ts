/**
 * Two processes of a scaled deployment on one PostgreSQL database, each with
 * its own compiled policy sets: a change written by one is decided by the
 * other once its set's version is checked again, and by the writer at once.
 */
import { createTestDatabase, type TestDatabase } from '@agentd/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine } from '../src/policies/policy-engine.js';
import { PolicyRepository } from '../src/policies/policy-repository.js';
import { approveRequest, toolCallRequest } from '../src/policies/policy-request.js';
import { PolicyService } from '../src/policies/policy-service.js';
import type { Database } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';
import { TenantRepository } from '../src/tenants/tenant-repository.js';
import { ToolRepository } from '../src/tools/tool-repository.js';

const logger = pino({ level: 'silent' });
const caller = { subject: 'key_1', method: 'api_key' as const, role: 'member' as const };
const lookup = (amount: number) => toolCallRequest(caller, 'support', 'lookup', { amount });

describe('policy sets across processes on PostgreSQL', () => {
  let database: TestDatabase;
  let dbs: Database[];
  let tenantId: string;
  let clock = 0;
  /** Process 1 writes policies; process 2 only decides. */
  let writer: PolicyService;
  let reader: PolicyEngine;

  const engineOn = (db: Database) =>
    new PolicyEngine(new PolicyRepository(db), logger, { recheckMs: 1000, now: () => clock });

  beforeAll(async () => {
    database = await createTestDatabase('agentd_policies');
    dbs = [await openPostgresDatabase(database.url), await openPostgresDatabase(database.url)];
    await migrate(dbs[0]!);
    tenantId = (await new TenantRepository(dbs[0]!).create({ name: 'policies' })).id;
    writer = new PolicyService(new PolicyRepository(dbs[0]!), engineOn(dbs[0]!), new ToolRepository(dbs[0]!));
    reader = engineOn(dbs[1]!);
  });
  afterAll(async () => {
    for (const db of dbs ?? []) await db.close();
    await database?.drop();
  });

  it('sees another process change the set at its next version check, not before', async () => {
    expect(await reader.decide(tenantId, lookup(5))).toEqual({ allowed: true });
    const policy = await writer.create(tenantId, {
      name: 'no-lookups',
      policy:
        'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"lookup");',
    });
    // The writer decides with the new set at once.
    expect(await writer.decide(tenantId, lookup(5))).toMatchObject({ allowed: false, policyId: policy.id });
    // The reader trusts its compiled set for recheckMs, then reads the new version.
    clock += 999;
    expect(await reader.decide(tenantId, lookup(5))).toEqual({ allowed: true });
    clock += 2;
    expect(await reader.decide(tenantId, lookup(5))).toEqual({
      allowed: false,
      reason: `policy 'no-lookups' (${policy.id}) forbids it`,
      policyId: policy.id,
      policyName: 'no-lookups',
    });

    await writer.delete(tenantId, policy.id);
    clock += 1001;
    expect(await reader.decide(tenantId, lookup(5))).toEqual({ allowed: true });
  });

  it('denies by default only the actions a permit governs, and a forbid that cannot be evaluated denies', async () => {
    const permit = await writer.create(tenantId, {
      name: 'support-looks-up',
      policy:
        'permit (principal == Agentd::Agent::"support", action == Agentd::Action::"call_tool", resource);',
    });
    expect(await writer.decide(tenantId, lookup(5))).toEqual({ allowed: true });
    const other = await writer.decide(tenantId, toolCallRequest(caller, 'sales', 'lookup', {}));
    expect(other).toEqual({
      allowed: false,
      reason: 'no policy permits call_tool on Agentd::Tool::"lookup" for Agentd::Agent::"sales"',
    });
    // Approvals are not governed by a call_tool permit: still allowed.
    expect(await writer.decide(tenantId, approveRequest(caller, 'support', 'lookup', {}))).toEqual({
      allowed: true,
    });
    const cap = await writer
      .create(tenantId, {
        name: 'lookup-cap',
        policy:
          'forbid (principal, action == Agentd::Action::"call_tool", resource)\nwhen { context.arguments.amount > 10 };',
      })
      .catch((error: Error) => error);
    // Without a registered tool that has `amount`, the schema does not know the field.
    expect((cap as Error).message).toMatch(/line 2, column \d+: .*arguments\.amount/);
    await new ToolRepository(dbs[0]!).create(tenantId, {
      name: 'lookup',
      input_schema: { type: 'object', properties: { amount: { type: 'integer' } } },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/lookup' },
    });
    const capped = await writer.create(tenantId, {
      name: 'lookup-cap',
      policy:
        'forbid (principal, action == Agentd::Action::"call_tool", resource)\nwhen { context.arguments has amount && context.arguments.amount > 10 };',
    });
    expect(await writer.decide(tenantId, lookup(50))).toMatchObject({ allowed: false, policyId: capped.id });
    expect(await writer.decide(tenantId, lookup(5))).toEqual({ allowed: true });
    // A string where the schema says Long: the forbid errors, and an erroring forbid denies.
    const odd = await writer.decide(
      tenantId,
      toolCallRequest(caller, 'support', 'lookup', { amount: 'lots' }),
    );
    expect(odd).toMatchObject({ allowed: false, policyId: capped.id });
    expect((odd as { reason: string }).reason).toContain('could not be evaluated');
    await writer.delete(tenantId, permit.id);
    await writer.delete(tenantId, capped.id);
  });
});
