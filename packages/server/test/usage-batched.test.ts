/**
 * A run's model-call usage rows ride with its next event batch (BatchedUsage):
 * stored in the batch's statement, once, also when the write is retried after
 * a commit whose answer was lost, and written on their own when no batch took
 * them by the end of the run's execution.
 */
import type { ResponseEvent, ResponseObject } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { ResponseRepository } from '../src/responses/response-repository.js';
import { BatchedUsage } from '../src/usage/batched-usage.js';
import { type UsageRecord, UsageRepository } from '../src/usage/usage-repository.js';
import { databaseBackends, migratedDatabases } from './support/database-backends.js';

describe('BatchedUsage', () => {
  it('gives a retried batch the rows of its first attempt, and new rows to the next batch', async () => {
    const alone: string[][] = [];
    const usage = new BatchedUsage<string>(async (rows) => void alone.push(rows));
    usage.park('run', 'a');
    expect(usage.forBatch('run', 5)).toEqual({ rows: ['a'], retry: false });
    usage.failed('run', 5, new Error('connection reset'), false);
    usage.park('run', 'b');
    expect(usage.forBatch('run', 5)).toEqual({ rows: ['a'], retry: true });
    // The retry is refused as a duplicate: the first attempt had committed, rows and all.
    usage.failed('run', 5, Object.assign(new Error('duplicate'), { code: '23505' }), true);
    expect(usage.forBatch('run', 8)).toEqual({ rows: ['b'], retry: false });
    usage.stored('run', 8);
    await usage.settle('run');
    expect(alone).toEqual([]);
  });

  it('settles by waiting for the batch in flight, then writing what no batch stored', async () => {
    const alone: string[][] = [];
    const usage = new BatchedUsage<string>(async (rows) => void alone.push(rows));
    usage.park('run', 'a');
    usage.forBatch('run', 2);
    const settled = usage.settle('run');
    usage.park('run', 'b');
    usage.stored('run', 2);
    await settled;
    expect(alone).toEqual([['b']]);
    // A batch given up for good: its rows are written on their own.
    usage.park('run', 'c');
    usage.forBatch('run', 3);
    usage.failed('run', 3, new Error('database unreachable'), false);
    await usage.settle('run');
    expect(alone).toEqual([['b'], ['c']]);
  });
});

const backends = databaseBackends('agentd_usage_batched');

for (const [name, open] of backends) {
  describe(`usage rows in a run's event batch on ${name}`, () => {
    const openDatabase = migratedDatabases(open);

    it('stores a row with the batch, once when the write is retried, and a leftover when the run settles', async () => {
      const db = await openDatabase();
      await db.query("INSERT INTO tenants (id, name) VALUES ('tenant_a', 'a')");
      const usage = new UsageRepository(db);
      const responses = new ResponseRepository(db, undefined, { usage: usage.batched });
      const id = newId('response');
      const snapshot = { id, object: 'response', status: 'queued', output: [] } as unknown as ResponseObject;
      await responses.create('tenant_a', {
        snapshot,
        input: [],
        history: [],
        runSpec: {} as never,
        conversationId: null,
        previousResponseId: null,
        idempotencyKey: null,
        requestHash: null,
      });
      const row = (tokens: number): UsageRecord => ({
        tenantId: 'tenant_a',
        kind: 'model_call',
        model: 'm',
        responseId: id,
        inputTokens: tokens,
        outputTokens: 1,
        costUsd: 0.5,
      });
      const spent = () => usage.spentByRun('tenant_a', id);
      const event = (sequence: number) =>
        ({ type: 'response.in_progress', response: snapshot, sequence_number: sequence }) as ResponseEvent;

      usage.batched.park(id, row(10));
      expect(await spent()).toEqual({ tokens: 0, costUsd: 0 });
      await responses.appendEvents('tenant_a', id, [event(2)], snapshot);
      expect(await spent()).toEqual({ tokens: 11, costUsd: 0.5 });

      // A write whose commit was not answered, retried: refused as a duplicate, its row not counted twice.
      usage.batched.park(id, row(20));
      const carried = usage.batched.forBatch(id, 3);
      await db.query(
        `INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
         VALUES ($1, 'tenant_a', 3, 3, $2)`,
        [id, JSON.stringify([event(3)])],
      );
      await db.query(
        `INSERT INTO usage_records (tenant_id, kind, model, response_id, input_tokens, output_tokens, cost_usd)
         VALUES ('tenant_a', 'model_call', 'm', $1, 20, 1, 0.5)`,
        [id],
      );
      usage.batched.failed(id, 3, new Error('connection reset'), carried.retry);
      await expect(responses.appendEvents('tenant_a', id, [event(3)], snapshot)).rejects.toMatchObject({
        code: '23505',
      });
      await responses.settled('tenant_a', id);
      expect(await spent()).toEqual({ tokens: 32, costUsd: 1 });

      // A row no batch took (the run stopped with nothing left to write) is stored when it settles.
      usage.batched.park(id, row(30));
      await responses.settled('tenant_a', id);
      expect(await spent()).toEqual({ tokens: 63, costUsd: 1.5 });
    });
  });
}
