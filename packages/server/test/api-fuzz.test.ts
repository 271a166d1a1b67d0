import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemsWith } from './support/api-fuzz/check-answer.js';
import { createWorld, type FuzzWorld } from './support/api-fuzz/fuzz-world.js';
import { type Operation, operationsOf } from './support/api-fuzz/openapi-operations.js';
import { caseArbitrary, type FuzzCase, foreignIdInPath } from './support/api-fuzz/request-arbitrary.js';
import { sendRequest, urlOf } from './support/api-fuzz/send-request.js';

/**
 * Generated requests over every operation in /openapi.json: valid ones, then
 * ones broken in one place (wrong types, missing fields, NUL, lone
 * surrogates, right-to-left overrides, 70,000 characters, deep nesting,
 * numbers past 2^53, `__proto__` keys, another tenant's ids). Every answer
 * must be a 2xx or a 4xx JSON error naming the parameter, within a bound
 * that only a hang exceeds, and the server must stay healthy. The seed is
 * fixed, so a failure replays; each operation gets SEED + its index.
 */
const SEED = Number(process.env.AGENTD_FUZZ_SEED ?? 19_000);
// AGENTD_FUZZ_SCALE=10 (and another seed) searches further, locally; CI runs the fixed few hundred.
const SCALE = Number(process.env.AGENTD_FUZZ_SCALE ?? 1);
const VALID_RUNS = 2 * SCALE;
const BROKEN_RUNS = 3 * SCALE;
const HANG_MS = 10_000;

describe.each(BACKENDS)('generated requests over the whole API (%s)', (backend) => {
  let server: TestServer;
  let world: FuzzWorld;
  let operations: Operation[];
  let victimBefore: Record<string, unknown>;
  let cases = 0;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const doc = await new ApiClient(server.url).get('/openapi.json');
    operations = operationsOf(doc.body);
    world = await createWorld(server.url, server.adminKey);
    victimBefore = await world.victimView();
  });
  afterAll(async () => {
    await server?.close();
  });

  const describeCase = (operation: Operation, fuzzCase: FuzzCase) => {
    const url = urlOf('', operation, fuzzCase.request);
    const what = fuzzCase.mutation ? `${fuzzCase.mutation.kind} at ${fuzzCase.mutation.where}` : 'valid';
    return `${operation.method} ${url.length > 160 ? `${url.slice(0, 160)}...` : url} as ${fuzzCase.caller.name} (${what})`;
  };

  async function fuzz(operation: Operation, index: number, broken: boolean): Promise<string | undefined> {
    const property = fc.asyncProperty(caseArbitrary(operation, world, broken), async (fuzzCase) => {
      cases++;
      const answer = await sendRequest(server.url, fuzzCase.caller.key, operation, fuzzCase.request, HANG_MS);
      const problems = problemsWith(answer, {
        mutation: fuzzCase.mutation,
        foreignIdInPath: foreignIdInPath(operation, world, fuzzCase),
        secretMarker: world.marker,
      });
      if (problems.length > 0)
        throw new Error(`${describeCase(operation, fuzzCase)}: ${problems.join('; ')}`);
    });
    const result = await fc.check(property, {
      seed: SEED + index * 2 + (broken ? 1 : 0),
      numRuns: broken ? BROKEN_RUNS : VALID_RUNS,
      endOnFailure: true,
    });
    if (!result.failed) return undefined;
    const message = (result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance);
    return message.startsWith(operation.method) ? message : `${operation.label}: ${message}`;
  }

  it('documents the operations it fuzzes', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.map((operation) => operation.label)).toContain('POST /v1/responses');
  });

  it('answers valid requests, then broken ones, with a 2xx or a 4xx JSON error, in time', async () => {
    const failures: string[] = [];
    for (const broken of [false, true]) {
      for (const [index, operation] of operations.entries()) {
        const failure = await fuzz(operation, index, broken);
        if (failure) failures.push(failure);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(operations.length * (VALID_RUNS + BROKEN_RUNS));
  });

  it('is healthy afterwards, and a plain request still works', async () => {
    const api = new ApiClient(server.url, server.adminKey);
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
    const agent = await api.post('/v1/agents', { name: 'after-fuzzing', instructions: 'Be brief.' });
    expect(agent.status).toBe(200);
    const response = await api.post('/v1/responses', {
      agent: 'after-fuzzing',
      input: 'Hello after fuzzing.',
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
  });

  it("left the victim tenant's objects as they were", async () => {
    expect(await world.victimView()).toEqual(victimBefore);
  });

  it('let no __proto__ key reach a prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
