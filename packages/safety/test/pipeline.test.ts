import type { SafetyInput, SafetyPhase, SafetyVerdict } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { applyRedactions, createRulesPhase, createSafetyPipeline } from '../src/index.js';

/** A phase that answers with a fixed action and records what it was shown. */
function scripted(name: string, action: SafetyVerdict['action'], seen: string[]): SafetyPhase {
  return {
    name,
    check(_input: SafetyInput, prior: readonly SafetyVerdict[]) {
      seen.push(`${name} after [${prior.map((v) => v.phase).join(',')}]`);
      return {
        phase: name,
        action,
        categories: action === 'allow' ? [] : ['prompt_injection'],
        scores: {},
        reason: action,
        durationMs: 0,
      };
    },
  };
}

describe('safety pipeline', () => {
  it('runs the phases in order, each seeing the verdicts before it', async () => {
    const seen: string[] = [];
    const pipeline = createSafetyPipeline([
      scripted('a', 'allow', seen),
      scripted('b', 'flag', seen),
      scripted('c', 'allow', seen),
    ]);
    const result = await pipeline.check({ text: 'x', surface: 'user_input' });
    expect(seen).toEqual(['a after []', 'b after [a]', 'c after [a,b]']);
    expect(result.action).toBe('flag');
    expect(result.verdicts.map((v) => v.phase)).toEqual(['a', 'b', 'c']);
    expect(result.blockedBy).toBeUndefined();
  });

  it('stops at the first block and keeps every verdict up to it', async () => {
    const seen: string[] = [];
    const pipeline = createSafetyPipeline([
      scripted('a', 'flag', seen),
      scripted('b', 'block', seen),
      scripted('c', 'allow', seen),
    ]);
    const result = await pipeline.check({ text: 'x', surface: 'tool_output' });
    expect(seen).toEqual(['a after []', 'b after [a]']);
    expect(result).toMatchObject({ action: 'block', blockedBy: 'b' });
    expect(result.verdicts.map((v) => v.action)).toEqual(['flag', 'block']);
  });

  it('records nothing for a phase that did not run', async () => {
    const skipping: SafetyPhase = { name: 'judge', check: () => null };
    const result = await createSafetyPipeline([skipping, scripted('a', 'allow', [])]).check({
      text: 'x',
      surface: 'memory',
    });
    expect(result.verdicts.map((v) => v.phase)).toEqual(['a']);
  });

  it('runs only the phases configured for the surface', async () => {
    const seen: string[] = [];
    const pipeline = createSafetyPipeline(
      [scripted('rules', 'allow', seen), scripted('classifier', 'allow', seen)],
      {
        surfaces: { model_output: ['rules'] },
      },
    );
    await pipeline.check({ text: 'x', surface: 'model_output' });
    await pipeline.check({ text: 'x', surface: 'user_input' });
    expect(seen).toEqual(['rules after []', 'rules after []', 'classifier after [rules]']);
  });

  it('returns the text with secrets and hidden characters redacted', async () => {
    const pipeline = createSafetyPipeline([createRulesPhase()]);
    const result = await pipeline.check({
      text: 'use sk-proj-abc123DEF456ghi789JKL012mno\u200b now',
      surface: 'tool_output',
    });
    expect(result.action).toBe('redact');
    expect(result.text).toBe('use [redacted api key] now');
  });

  it('merges overlapping redactions', () => {
    const verdict = (start: number, end: number, replacement: string): SafetyVerdict => ({
      phase: 'p',
      action: 'redact',
      categories: ['pii'],
      scores: {},
      reason: '',
      spans: [{ start, end, category: 'pii', replacement }],
      durationMs: 0,
    });
    expect(applyRedactions('0123456789', [verdict(2, 6, '[a]'), verdict(4, 8, '[b]')])).toBe('01[a]89');
  });
});
