/**
 * A write that fails during a run ends the run; it never strands it. Write
 * failures are injected by the real database (a trigger on the event log that
 * raises when a batch holds a given event), on PGlite and PostgreSQL, at each
 * kind of event; the response, the stream and the stored status are checked.
 */

import { type Agentd, BACKENDS, startAgentd, type TestServer } from '@agentd/test-server';
import { type ApiClient, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';

const FAULTS = `
  CREATE TABLE test_write_faults (pattern text NOT NULL, sqlstate text NOT NULL, times int, after int NOT NULL);
  CREATE SEQUENCE test_write_fault_count;
  CREATE FUNCTION test_inject_write_fault() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE f record;
  BEGIN
    FOR f IN SELECT * FROM test_write_faults LOOP
      IF NEW.events::text LIKE '%' || f.pattern || '%' AND NEW.first_sequence > f.after
         AND (f.times IS NULL OR nextval('test_write_fault_count') <= f.times) THEN
        RAISE EXCEPTION 'injected write failure at %', f.pattern USING ERRCODE = f.sqlstate;
      END IF;
    END LOOP;
    RETURN NEW;
  END $$;
  CREATE TRIGGER test_inject_write_fault BEFORE INSERT ON response_event_batches
    FOR EACH ROW EXECUTE FUNCTION test_inject_write_fault();`;

/**
 * Makes every event batch holding `marker` (a quoted JSON value; '' for any
 * batch after the response's first) fail, `times` times or always, with `sqlstate`.
 */
async function failWritesAt(db: Database, marker: string, sqlstate = 'XX000', times?: number) {
  await db.exec("SELECT setval('test_write_fault_count', 1, false); DELETE FROM test_write_faults");
  await db.query('INSERT INTO test_write_faults VALUES ($1, $2, $3, $4)', [
    marker === '' ? '' : `"${marker}"`,
    sqlstate,
    times ?? null,
    marker === '' ? 1 : 0,
  ]);
}

/** The points of a run where a batch is written, and the quoted value that marks each one. */
const POINTS = [
  ['a text delta', 'response.output_text.delta'],
  ['a tool call', 'function_call'],
  ['a tool result', 'function_call_output'],
  ['the completion', 'response.completed'],
] as const;

describe.each(BACKENDS)('a write that fails during a run, on %s', (backend) => {
  let agentd: Agentd;
  let server: TestServer;
  let api: ApiClient;
  let tools: ToolServer;
  let db: Database;
  const request = () => ({
    input: 'call echo {"text": "hello"}',
    tools: [
      {
        type: 'function',
        name: 'echo',
        parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        endpoint: { url: `${tools.url}/echo` },
      },
    ],
  });

  beforeAll(async () => {
    tools = await startToolServer({ echo: (body: { text: string }) => `echo: ${body.text}` });
    // A short retry budget, so that a database that stays away is given up on quickly.
    agentd = await startAgentd({ backend, env: { AGENTD_STORAGE_RETRY_MS: '400' } });
    ({ server, api } = agentd);
    db = server.server.services.db;
    await db.exec(FAULTS);
  });
  afterEach(async () => {
    await db.exec('DELETE FROM test_write_faults');
  });
  afterAll(async () => {
    await agentd?.close();
    await tools?.close();
  });

  /** The stored response and its event log, checked to be whole: numbered 1..n, ending in response.failed. */
  async function storedFailure(id: string, marker: string) {
    const stored = await api.get(`/v1/responses/${id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.status).toBe('failed');
    expect(stored.body.error.code).toBe('storage_error');
    expect(stored.body.error.message).toContain(marker);
    const log = await api.get(`/v1/responses/${id}/events?order=asc&limit=1000`);
    const numbers = log.body.data.map((event: { sequence_number: number }) => event.sequence_number);
    expect(numbers).toEqual(numbers.map((_: number, index: number) => index + 1));
    expect(log.body.data.at(-1).type).toBe('response.failed');
    return stored.body;
  }

  it.each(POINTS)(
    'at %s: a plain request answers with the failed response and its reason',
    async (_, marker) => {
      await failWritesAt(db, marker);
      const answer = await api.post('/v1/responses', request());
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('failed');
      expect(answer.body.error).toEqual({ code: 'storage_error', message: expect.stringContaining(marker) });
      expect(answer.body.error.message).toContain('could not store');
      await storedFailure(answer.body.id, marker);
    },
  );

  it.each(POINTS)('at %s: a live stream gets response.failed as its last event', async (_, marker) => {
    await failWritesAt(db, marker);
    const events = await api.stream('/v1/responses', { ...request(), stream: true });
    const last = events.at(-1);
    expect(last?.event).toBe('response.failed');
    expect(last?.data.response.error.code).toBe('storage_error');
    await storedFailure(last?.data.response.id, marker);
  });

  it.each(POINTS)('at %s: a background run ends failed, not in progress', async (_, marker) => {
    await failWritesAt(db, marker);
    const started = await api.post('/v1/responses', { ...request(), background: true });
    expect(started.status).toBe(200);
    // Resuming the stream waits for the end without polling.
    const events = await api.stream(`/v1/responses/${started.body.id}?stream=true`);
    expect(events.at(-1)?.event).toBe('response.failed');
    await storedFailure(started.body.id, marker);
  });

  it('when the response itself cannot be stored, answers with a JSON error and leaves nothing behind', async () => {
    await failWritesAt(db, 'response.created');
    const answer = await api.post('/v1/responses', { ...request(), background: true });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(answer.body.error.type).toBe('server_error');
    const [open] = await db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM responses WHERE status IN ('queued', 'in_progress')",
    );
    expect(open?.count).toBe(0);
  });

  it('retries a write that failed for a transient reason, and the run completes', async () => {
    await failWritesAt(db, 'response.output_text.delta', '08006', 2);
    const answer = await api.post('/v1/responses', request());
    expect(answer.body.status).toBe('completed');
    expect(answer.body.output_text ?? JSON.stringify(answer.body.output)).toContain('echo: hello');
    const log = await api.get(`/v1/responses/${answer.body.id}/events?order=asc&limit=1000`);
    const numbers = log.body.data.map((event: { sequence_number: number }) => event.sequence_number);
    expect(numbers).toEqual(numbers.map((_: number, index: number) => index + 1));
  });

  it('when the database stays away past the retry budget, answers 503 and leaves the run for recovery, which finishes it', async () => {
    await failWritesAt(db, '', '08006');
    const answer = await api.post('/v1/responses', request());
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('storage_unavailable');
    const id = /response '([^']+)'/.exec(answer.body.error.message)?.[1];
    expect(id).toMatch(/^resp_/);
    const left = await api.get(`/v1/responses/${id}`);
    expect(['queued', 'in_progress']).toContain(left.body.status);
    await db.exec('DELETE FROM test_write_faults');
    // The queue may already have handed the dropped run out again; recovery takes it back in any case.
    const { runs, responses } = server.server.services;
    const tenantId = (await api.get('/v1/me')).body.tenant.id as string;
    const stored = await responses.get(tenantId, id!);
    await runs.recover();
    await runs.wait(stored);
    const finished = await api.get(`/v1/responses/${id}`);
    expect(finished.body.status).toBe('completed');
    // A run the queue handed out again may be mid-call when recovery takes it back: its call is
    // stored before it runs, and echo (not idempotent) is then not run twice but reported so.
    const outputs = finished.body.output.filter(
      (item: { type: string }) => item.type === 'function_call_output',
    );
    expect(outputs).toHaveLength(1);
    expect(outputs[0].output).toMatch(/^(echo: hello|Error: interrupted by a worker failure: .*)$/);
    expect(finished.body.output.at(-1).content[0].text).toBe(`echo returned:\n${outputs[0].output}`);
  });
});
