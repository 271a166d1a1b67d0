import type { SafetyVerdict } from '@agentd/spec';
import { type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJudgePhase, type JudgeUsage } from '../src/index.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const unsure: SafetyVerdict = {
  phase: 'classifier',
  action: 'flag',
  categories: ['prompt_injection'],
  scores: { prompt_injection: 0.6 },
  reason: '',
  durationMs: 0,
};

describe('the judge reports what each call used', () => {
  it('tells onUsage the tokens its model reported, also for an answer it cannot read', async () => {
    const seen: JudgeUsage[] = [];
    const judge = createJudgePhase({
      baseURL: fake.baseURL,
      model: 'judge-model',
      onUsage: (usage) => seen.push(usage),
    });
    fake.enqueue(
      {
        text: JSON.stringify({ action: 'allow', categories: [], score: 0.1, principle: 0, reason: 'fine' }),
        usage: { prompt_tokens: 120, completion_tokens: 30 },
      },
      { text: 'not json', usage: { prompt_tokens: 90, completion_tokens: 4 } },
    );
    expect((await judge.check({ text: 'hello', surface: 'user_input' }, [unsure]))?.action).toBe('allow');
    expect((await judge.check({ text: 'hello', surface: 'user_input' }, [unsure]))?.reason).toMatch(
      /fallback|judge/i,
    );
    expect(seen).toEqual([
      { model: 'judge-model', inputTokens: 120, outputTokens: 30 },
      { model: 'judge-model', inputTokens: 90, outputTokens: 4 },
    ]);
  });
});
