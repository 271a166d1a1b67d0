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
  const types = ['response.created', 'tool_call.started', 'response.completed'];
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
    expect(await indexes(tenant, { types: ['tool_call.started'] })).toEqual([1, 4, 7, 10]);
    expect(await indexes(tenant, { actorIds: ['bob'] })).toEqual([1, 3, 5, 7, 9, 11]);
    expect(await indexes(tenant, { resourceIds: ['resp_2', 'resp_3'] })).toEqual([2, 3, 6, 7, 10, 11]);
    expect(await indexes(tenant, { types: ['response.created'], actorIds: ['alice'] })).toEqual([0, 6]);
    expect(
      await indexes(tenant, { types: ['tool_call.started'], actorIds: ['bob'], resourceIds: ['resp_3'] }),
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
      type: 'tool_call.started',
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
