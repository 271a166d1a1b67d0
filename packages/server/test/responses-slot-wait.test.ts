/**
 * What a client sees when every worker slot is taken: a run created then
 * still runs once a slot frees (not after its lease runs out), and a plain
 * request answers with its stored response. Written for the early start
 * (ADR-0046, withdrawn), whose first form broke the first case.
 */

import { expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

// One run at a time, and a lease that outlasts the test: a run whose lease was left held would never run.
const suite = fakeModelSuite({
  backend: 'pglite',
  env: { AGENTD_WORKER_CONCURRENCY: '1', AGENTD_RUN_LEASE_MS: '600000' },
});

it('runs a response created while every worker slot was taken, once the slot frees', {
  timeout: 60_000,
}, async () => {
  const { fake, client: openai } = suite;
  fake.enqueue({ hang: true }, { text: 'Second answer.' });
  const first = await openai.responses.create({ model: 'fake-model', input: 'first', background: true });
  // The first run holds the only slot, stalled in its model call.
  await expect.poll(() => fake.requests.length, { timeout: 20_000 }).toBe(1);
  const second = await openai.responses.create({ model: 'fake-model', input: 'second', background: true });
  expect(second.status).toBe('queued');

  expect((await openai.responses.cancel(first.id)).status).toBe('cancelled');
  const stream = openai.responses.stream({ response_id: second.id });
  for await (const _ of stream) {
    // Read to the end.
  }
  const final = await stream.finalResponse();
  expect(final.status).toBe('completed');
  expect(final.output_text).toBe('Second answer.');
});

it('answers a plain request only after its response is stored, with the run it started', async () => {
  const { fake, client: openai } = suite;
  fake.enqueue({ text: 'Stored first.' });
  const response = await openai.responses.create({ model: 'fake-model', input: 'hello' });
  expect(response.output_text).toBe('Stored first.');
  const stored = await openai.responses.retrieve(response.id);
  expect(stored.status).toBe('completed');
  expect(stored.output_text).toBe('Stored first.');
});
