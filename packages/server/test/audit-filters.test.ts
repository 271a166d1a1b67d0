/**
 * GET /v1/audit_events's filters read one GIN index of tenant-scoped keys
 * (migration 0016) beside the precise column conditions. On both backends a
 * tenant's filters find exactly its own events, alone and combined, and never
 * another tenant's events with the same type, actor or resource.
 */
import { BACKENDS, type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditActor, AuditEventInput } from '../src/audit/audit-event.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { type AuditFilter, listAuditEvents } from '../src/audit/audit-query.js';
import type { Queryable, SqlParam } from '../src/storage/database.js';

const keyActor = (user: string): AuditActor => ({
  type: 'api_key',
  api_key: { id: `key_${user}`, role: 'member', user: { id: user } },
});

/** Twelve events a tenant: three types, two users, four responses. */
function eventsOf(tenantId: string): AuditEventInput[] {
  const types = ['response.created', 'tool_call.completed', 'response.completed'];
  return Array.from({ length: 12 }, (_, index) => ({
    tenantId,
    type: types[index % 3] as string,
    actor: keyActor(index % 2 === 0 ? 'alice' : 'bob'),
    resource: { type: 'response', id: `resp_${index % 4}` },
    data: { index },
  }));
}

describe.each(BACKENDS)('audit event filters on %s', (backend) => {
  let database: MigratedDatabase;

  beforeAll(async () => {
    database = await openMigratedDatabase(backend, { prefix: 'agentd_audit_filters' });
    const audit = new AuditLog(database.db);
    await audit.append(eventsOf('tenant_filters_a'));
    await audit.append(eventsOf('tenant_filters_b'));
  });
  afterAll(async () => {
    await database?.close();
  });

  const indexes = async (tenantId: string, filter: AuditFilter) => {
    const page = await listAuditEvents(database.db, tenantId, { ...filter, limit: 100, order: 'asc' });
    expect(page.data.every((event) => event.tenantId === tenantId)).toBe(true);
    return page.data.map((event) => event.data.index);
  };

  it('finds a tenant’s own events by type, actor and resource, alone and combined', async () => {
    const tenant = 'tenant_filters_a';
    expect(await indexes(tenant, { types: ['tool_call.completed'] })).toEqual([1, 4, 7, 10]);
    expect(await indexes(tenant, { actorIds: ['bob'] })).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await indexes(tenant, { resourceIds: ['resp_2', 'resp_3'] })).toEqual([2, 3, 6, 7, 10, 11]);
    expect(await indexes(tenant, { types: ['response.created'], actorIds: ['alice'] })).toEqual([0, 6]);
    expect(
      await indexes(tenant, { types: ['tool_call.completed'], actorIds: ['bob'], resourceIds: ['resp_3'] }),
    ).toEqual([7]);
    expect(await indexes(tenant, { types: ['no.such_type'] })).toEqual([]);
  });

  it('pages a filter with the cursor, newest first', async () => {
    const tenant = 'tenant_filters_b';
    const first = await listAuditEvents(database.db, tenant, {
      actorIds: ['alice'],
      limit: 4,
      order: 'desc',
    });
    expect(first.data.map((event) => event.data.index)).toEqual([10, 8, 6, 4]);
    expect(first.has_more).toBe(true);
    const rest = await listAuditEvents(database.db, tenant, {
      actorIds: ['alice'],
      limit: 4,
      order: 'desc',
      after: first.last_id ?? undefined,
    });
    expect(rest.data.map((event) => event.data.index)).toEqual([2, 0]);
    expect(rest.has_more).toBe(false);
  });

  it('can read a filter through the filter keys index (the query writes the index’s expression)', async () => {
    const audit = new AuditLog(database.db);
    const many = Array.from({ length: 500 }, (_, index) => ({
      tenantId: 'tenant_filters_big',
      type: 'tool_call.completed',
      actor: keyActor('carol'),
      resource: { type: 'response', id: `resp_big_${index}` },
      data: { index },
    }));
    await audit.append(many);
    // What autovacuum does on a server: the index's pending list merged, the statistics taken.
    await database.db.exec('VACUUM ANALYZE audit_events');
    const plans: string[] = [];
    const page = await database.db.transaction(async (tx) => {
      // A table this small is cheaper to scan or walk: take those away to see that the index fits the query.
      await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off');
      const explaining: Queryable = {
        query: async <Row>(sql: string, params?: readonly SqlParam[]) => {
          if (sql.includes('ORDER BY sequence')) {
            const plan = await tx.query<Record<string, string>>(`EXPLAIN ${sql}`, params);
            plans.push(plan.map((row) => Object.values(row)[0]).join('\n'));
          }
          return tx.query<Row>(sql, params);
        },
        exec: (sql) => tx.exec(sql),
      };
      return listAuditEvents(explaining, 'tenant_filters_big', {
        resourceIds: ['resp_big_123'],
        limit: 10,
        order: 'desc',
      });
    });
    expect(page.data.map((event) => event.data.index)).toEqual([123]);
    expect(plans.join('\n')).toContain('audit_events_filter_keys_idx');
  });
});

describe.each(BACKENDS)('audit event cursors on %s', (backend) => {
  let database: MigratedDatabase;
  const tenant = 'tenant_cursors';

  beforeAll(async () => {
    database = await openMigratedDatabase(backend, { prefix: 'agentd_audit_cursors' });
    // Enough rows, with statistics, that the planner weighs its indexes as it would on a server.
    await new AuditLog(database.db).append(Array.from({ length: 40 }, () => eventsOf(tenant)).flat());
    await database.db.exec('ANALYZE audit_events');
  });
  afterAll(async () => {
    await database?.close();
  });

  /** The plans of the statements listAuditEvents sends, with plain index scans and sequential scans off. */
  const explained = async (tenantId: string, after: string) => {
    const plans: string[] = [];
    const page = await database.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      const explaining: Queryable = {
        query: async <Row>(sql: string, params?: readonly SqlParam[]) => {
          const plan = await tx.query<Record<string, string>>(`EXPLAIN ${sql}`, params);
          plans.push(plan.map((row) => Object.values(row)[0]).join('\n'));
          return tx.query<Row>(sql, params);
        },
        exec: (sql) => tx.exec(sql),
      };
      return listAuditEvents(explaining, tenantId, { after, limit: 3, order: 'asc' });
    });
    return { indexes: page.data.map((event) => event.data.index), cursorPlan: plans[0] ?? '' };
  };

  it('finds a cursor by the sequence its id carries, through the primary key', async () => {
    const first = await listAuditEvents(database.db, tenant, { limit: 2, order: 'asc' });
    expect(first.data.map((event) => event.id)).toEqual([
      expect.stringMatching(/^audit_1_[0-9a-f]{16}$/),
      expect.stringMatching(/^audit_2_[0-9a-f]{16}$/),
    ]);
    const { indexes, cursorPlan } = await explained(tenant, first.last_id ?? '');
    expect(indexes).toEqual([2, 3, 4]);
    expect(cursorPlan).toContain('audit_events_pkey');
    // Another tenant's id, or one whose sequence does not match, is not a cursor here.
    const other = (await new AuditLog(database.db).append(eventsOf('tenant_cursors_other')))[1]?.id ?? '';
    await expect(
      listAuditEvents(database.db, tenant, { after: other, limit: 2, order: 'asc' }),
    ).rejects.toThrow(/No audit event/);
    const moved = (first.last_id ?? '').replace(/^audit_2_/, 'audit_3_');
    await expect(
      listAuditEvents(database.db, tenant, { after: moved, limit: 2, order: 'asc' }),
    ).rejects.toThrow(/No audit event/);
  });

  it('still finds a row written before ids carried their sequence (a ULID id), through its own index', async () => {
    const legacyTenant = 'tenant_cursors_legacy';
    const legacyId = 'audit_01kbzq8x4m2n6p0r3s5t7v9w1y';
    // A row as migration 0016's code wrote it: only its id's form matters to the cursor.
    await database.db.query(
      `INSERT INTO audit_events (tenant_id, sequence, id, type, effective_at, actor, payload, prev_hash, hash)
       VALUES ($1, 1, $2, 'agent.created', now(), '{"type":"system"}', '{"index":0}', $3, $3),
              ($1, 2, 'audit_01kbzq8x4m2n6p0r3s5t7v9w1z', 'agent.created', now(), '{"type":"system"}', '{"index":1}', $3, $3)`,
      [legacyTenant, legacyId, '0'.repeat(64)],
    );
    const { indexes, cursorPlan } = await explained(legacyTenant, legacyId);
    expect(indexes).toEqual([1]);
    expect(cursorPlan).toContain('audit_events_legacy_id_idx');
  });

  it('keeps new rows out of the legacy id index', async () => {
    const [row] = await database.db.query<{ legacy: number }>(
      `SELECT count(*)::int AS legacy FROM audit_events WHERE tenant_id = $1 AND id NOT LIKE 'audit\\_%\\_%'`,
      [tenant],
    );
    expect(row?.legacy).toBe(0);
  });
});
