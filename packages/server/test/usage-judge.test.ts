import { beforeEach, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

const VERDICT = JSON.stringify({
  action: 'allow',
  categories: [],
  score: 0.05,
  principle: 0,
  reason: 'benign',
});

describe("the safety judge's calls count in usage", () => {
  const suite = fakeModelSuite({
    backend: 'pglite',
    env: {
      AGENTD_SAFETY: 'on',
      AGENTD_SAFETY_JUDGE_MODEL: 'judge-model',
      AGENTD_SAFETY_POLICY: JSON.stringify({ judge: { mode: 'always' } }),
    },
  });
  beforeEach(() =>
    suite.fake.setHandler((request) =>
      request.body?.model === 'judge-model'
        ? { text: VERDICT, usage: { prompt_tokens: 200, completion_tokens: 25 } }
        : { text: 'Hello there.', usage: { prompt_tokens: 12, completion_tokens: 3 } },
    ),
  );

  it('records the judge under its own model, against the run that asked it', async () => {
    const response = await suite.api.post('/v1/responses', { input: 'Say hello.', user: 'carol' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('completed');
    const judged = suite.fake.requests.filter((request) => request.body?.model === 'judge-model');
    expect(judged.length).toBeGreaterThan(0);
    const usage = await suite.api.get('/v1/usage?group_by=user,model');
    const judge = usage.body.data.find((bucket: { model: string }) => bucket.model === 'judge-model');
    expect(judge).toMatchObject({
      user: 'carol',
      input_tokens: 200 * judged.length,
      output_tokens: 25 * judged.length,
      runs: 1,
    });
    expect(usage.body.data).toContainEqual(
      expect.objectContaining({ user: 'carol', model: 'fake-model', input_tokens: 12, output_tokens: 3 }),
    );
  });
});
