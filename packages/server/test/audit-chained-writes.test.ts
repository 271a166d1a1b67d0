/**
 * A run's audit events are appended in the statement that writes its event
 * batch, chained onto the head the process last saw (ADR-0021, "Cost"). Two
 * repositories with audit logs of their own are two processes: their runs,
 * and changes recorded the locked way beside them, interleave on one tenant,
 * and the chain stays whole with every event in it, on PGlite and PostgreSQL.
 */
import type { Principal, ResponseEvent, ResponseObject } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/audit/audit-event.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { newId } from '../src/ids.js';
import { ResponseRepository } from '../src/responses/response-repository.js';
import type { Database } from '../src/storage/database.js';
import { databaseBackends, migratedDatabases } from './support/database-backends.js';

const TENANT = 'tenant_chained';
const PRINCIPAL: Principal = { tenantId: TENANT, subject: 'key_chained', method: 'api_key', role: 'member' };

const backends = databaseBackends('agentd_audit_chained');

/** A Database that counts the transactions opened through it. */
function counting(db: Database): { db: Database; transactions: () => number } {
  let opened = 0;
  return {
    db: {
      dialect: db.dialect,
      hasVector: db.hasVector,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      transaction: (fn) => {
        opened++;
        return db.transaction(fn);
      },
      close: () => db.close(),
    },
    transactions: () => opened,
  };
}

const snapshot = (id: string, status: string) =>
  ({
    id,
    object: 'response',
    status,
    output: [],
    model: 'm',
    tools: [],
    agent: null,
  }) as unknown as ResponseObject;

async function create(responses: ResponseRepository, idempotencyKey: string | null = null) {
  const id = newId('response');
  const created = await responses.create(TENANT, {
    snapshot: snapshot(id, 'queued'),
    input: [],
    history: [],
    runSpec: { schema_version: 1, principal: PRINCIPAL } as never,
    conversationId: null,
    previousResponseId: null,
    idempotencyKey,
    requestHash: idempotencyKey ? 'hash' : null,
  });
  return created.response.id;
}

/** A run with one tool call: created, the call started (audited with its end), completed, the run completed. */
async function run(responses: ResponseRepository): Promise<string> {
  const id = await create(responses);
  const call = {
    item_id: 'fc_1',
    call_id: `call_${id}`,
    name: 'lookup',
    arguments: '{"q":"x","api_key":"sk-secret"}',
  };
  const started: ResponseEvent = { type: 'response.tool_call.started', ...call, sequence_number: 2 };
  await responses.appendEvents(TENANT, id, [started], snapshot(id, 'in_progress'));
  const done = snapshot(id, 'completed');
  await responses.appendEvents(
    TENANT,
    id,
    [
      {
        type: 'response.tool_call.completed',
        ...call,
        status: 'completed',
        duration_ms: 3,
        sequence_number: 3,
      },
      { type: 'response.completed', response: done, sequence_number: 4 },
    ],
    done,
  );
  return id;
}

for (const [name, open] of backends) {
  describe(`chained audit writes on ${name}`, () => {
    const openDatabase = migratedDatabases(open);

    async function setUp() {
      const db = await openDatabase();
      await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [TENANT, 'chained']);
      return db;
    }

    const countByType = async (db: Database) =>
      Object.fromEntries(
        (
          await db.query<{ type: string; n: string | number }>(
            'SELECT type, count(*) AS n FROM audit_events WHERE tenant_id = $1 GROUP BY type',
            [TENANT],
          )
        ).map((row) => [row.type, Number(row.n)]),
      );

    it('keeps one whole chain while two processes run and a third records changes the locked way', async () => {
      const db = await setUp();
      const processes = [
        new ResponseRepository(db, new AuditLog(db)),
        new ResponseRepository(db, new AuditLog(db)),
      ];
      const changes = new AuditLog(db);
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        for (const responses of processes) work.push(run(responses));
        work.push(
          changes.append({ tenantId: TENANT, type: 'agent.updated', actor: SYSTEM_ACTOR, data: { n: i } }),
        );
      }
      await Promise.all(work);

      const verified = await new AuditLog(db).verify(TENANT);
      expect(verified).toMatchObject({ valid: true, broken: null, events_verified: 12 * (2 * 3 + 1) });
      expect(await countByType(db)).toEqual({
        'response.created': 24,
        'tool_call.completed': 24,
        'response.completed': 24,
        'agent.updated': 12,
      });
      const [completed] = await db.query<{ payload: Record<string, unknown>; actor: unknown }>(
        "SELECT payload, actor FROM audit_events WHERE tenant_id = $1 AND type = 'tool_call.completed' LIMIT 1",
        [TENANT],
      );
      expect(completed?.payload).toMatchObject({
        arguments: { q: 'x', api_key: '[redacted]' },
        status: 'completed',
      });
      expect(completed?.actor).toEqual({ type: 'api_key', api_key: { id: 'key_chained', role: 'member' } });
    });

    it("writes a known tenant's runs without a transaction, and records nothing of a refused write", async () => {
      const base = await setUp();
      const { db, transactions } = counting(base);
      const responses = new ResponseRepository(db, new AuditLog(db));
      await run(responses); // the first write of a tenant reads its head the locked way
      const before = transactions();
      await Promise.all(Array.from({ length: 8 }, () => run(responses)));
      expect(transactions()).toBe(before);

      // An idempotent repeat records no second response.created.
      const first = await create(responses, 'same-key');
      expect(await create(responses, 'same-key')).toBe(first);
      // A batch fenced out (its lease taken by another worker) is refused, and audited nowhere.
      const fenced = await create(responses, null);
      await base.query('UPDATE responses SET lease_generation = 2 WHERE id = $1', [fenced]);
      await expect(
        responses.appendEvents(
          TENANT,
          fenced,
          [
            {
              type: 'response.tool_call.completed',
              item_id: 'fc_9',
              call_id: 'call_fenced',
              name: 'lookup',
              arguments: '{}',
              status: 'completed',
              duration_ms: 1,
              sequence_number: 2,
            },
          ],
          snapshot(fenced, 'in_progress'),
          1,
        ),
      ).rejects.toThrow(/lease/);

      expect(await new AuditLog(base).verify(TENANT)).toMatchObject({
        valid: true,
        events_verified: 9 * 3 + 2,
      });
      const types = await countByType(base);
      expect(types['response.created']).toBe(11);
      expect(types['tool_call.completed']).toBe(9);
      expect(types['tool_call.started']).toBeUndefined();
    });
  });
}
