/**
 * Group commit, alone and under the response repository: concurrent creates
 * and event batches share statements, on PGlite and on PostgreSQL, without
 * one request's fate depending on another's.
 */
import { GroupCommit } from '@agentd/runtime';
import type { ResponseEvent, ResponseObject } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { ResponseRepository } from '../src/responses/response-repository.js';
import { databaseBackends, migratedDatabases } from './support/database-backends.js';

describe('GroupCommit', () => {
  it('writes the items added together in one call, and those added during it in the next', async () => {
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const group = new GroupCommit<number, number>(async (items) => {
      calls.push(items);
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((item) => item * 10);
    });
    const first = [group.add(1), group.add(2)];
    await new Promise((resolve) => setImmediate(resolve));
    const later = [group.add(3), group.add(4), group.add(5)];
    release();
    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40, 50]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('retries a failed group item by item, so only the bad item fails', async () => {
    const group = new GroupCommit<number, number>(async (items) => {
      if (items.includes(2)) throw new Error('bad item');
      return items;
    });
    const results = await Promise.allSettled([group.add(1), group.add(2), group.add(3)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

const backends = databaseBackends('agentd_grouped');

for (const [name, open] of backends) {
  describe(`grouped response writes on ${name}`, () => {
    const openDatabase = migratedDatabases(open);

    const setUp = async () => {
      const db = await openDatabase();
      await db.query("INSERT INTO tenants (id, name) VALUES ('tenant_a', 'a')");
      return { db, responses: new ResponseRepository(db) };
    };

    const create = (responses: ResponseRepository, tenantId: string, idempotencyKey: string | null) => {
      const snapshot = { id: newId('response'), object: 'response', status: 'queued', output: [] };
      return responses.create(tenantId, {
        snapshot: snapshot as unknown as ResponseObject,
        input: [],
        history: [],
        runSpec: { schema_version: 1 } as never,
        conversationId: null,
        previousResponseId: null,
        idempotencyKey,
        requestHash: idempotencyKey ? 'hash' : null,
      });
    };

    it('creates concurrently, each with its response.created event; a repeated key returns the first', async () => {
      const { responses } = await setUp();
      const [a, b, c] = await Promise.all([
        create(responses, 'tenant_a', 'key-1'),
        create(responses, 'tenant_a', 'key-1'),
        create(responses, 'tenant_a', null),
      ]);
      expect([a?.created, b?.created, c?.created]).toEqual([true, false, true]);
      expect(b?.response.id).toBe(a?.response.id);
      for (const created of [a, c]) {
        const events = await responses.events('tenant_a', created!.response.id, 0);
        expect(events).toEqual([
          { type: 'response.created', response: created!.response.snapshot, sequence_number: 1 },
        ]);
      }
    });

    it('fails only the create whose tenant does not exist', async () => {
      const { responses } = await setUp();
      const results = await Promise.allSettled([
        create(responses, 'tenant_a', null),
        create(responses, 'tenant_missing', null),
        create(responses, 'tenant_a', null),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    });

    it('appends the batches of several runs together and stores the final snapshot of the one that ends', async () => {
      const { responses } = await setUp();
      const [one, two] = await Promise.all([
        create(responses, 'tenant_a', null),
        create(responses, 'tenant_a', null),
      ]);
      const running = { ...one!.response.snapshot, status: 'in_progress' } as ResponseObject;
      const done = { ...two!.response.snapshot, status: 'completed' } as ResponseObject;
      const progress: ResponseEvent = { type: 'response.in_progress', response: running, sequence_number: 2 };
      const completed: ResponseEvent = { type: 'response.completed', response: done, sequence_number: 2 };
      await Promise.all([
        responses.appendEvents('tenant_a', one!.response.id, [progress], running),
        responses.appendEvents('tenant_a', two!.response.id, [completed], done),
      ]);
      const [first, second] = await Promise.all([
        responses.get('tenant_a', one!.response.id),
        responses.get('tenant_a', two!.response.id),
      ]);
      expect(first.snapshot.status).toBe('in_progress');
      expect(first.lastSequence).toBe(2);
      expect(second.snapshot).toEqual(done);
      expect(await responses.events('tenant_a', two!.response.id, 1)).toEqual([completed]);
    });
  });
}
