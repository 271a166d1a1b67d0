import type { SafetyInput, SafetyPhase, SafetyVerdict } from '@agentd/spec';
import { type JudgeAnswer, parseJudgeAnswer } from './judge-answer.js';
import { askJudge, type JudgeUsage } from './judge-request.js';
import { PRINCIPLES_V1, type Principles } from './principles.js';

export interface JudgePhaseOptions {
  /** An OpenAI-compatible base URL, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  apiKey?: string;
  /** The judge's own model, which may differ from the agent's. */
  model: string;
  /** `unsure`: only when an earlier phase's highest score is in `band` (or the context forces it); `always`: on every text. */
  mode?: 'unsure' | 'always';
  /** Scores of earlier phases in [low, high) are unsure. Default [0.3, 0.9). */
  band?: { low: number; high: number };
  /** How long to wait for the judge; default 10 s. */
  timeoutMs?: number;
  /** What a failed or timed-out judge decides: let the text through (fail open) or block it (fail closed). */
  onFailure?: 'fail_open' | 'fail_closed';
  principles?: Principles;
  fetch?: typeof fetch;
  /** Told what each judge call used (for usage and budgets). */
  onUsage?: (usage: JudgeUsage) => void;
}

/**
 * Phase 3: a constitutional critique by an LLM, answering in a JSON schema.
 * Runs only where the earlier phases are unsure, or always when configured
 * or asked. A judge that fails, times out or answers malformed JSON does not
 * decide: the configured default does, and the verdict says so (`fallback`).
 */
export function createJudgePhase(options: JudgePhaseOptions): SafetyPhase {
  const band = options.band ?? { low: 0.3, high: 0.9 };
  const principles = options.principles ?? PRINCIPLES_V1;
  const onFailure = options.onFailure ?? 'fail_open';
  return {
    name: 'judge',
    async check(input: SafetyInput, prior: readonly SafetyVerdict[]): Promise<SafetyVerdict | null> {
      if (!shouldRun(input, prior, options.mode ?? 'unsure', band)) return null;
      const started = performance.now();
      const reply = await askJudge(input, principles, {
        baseURL: options.baseURL,
        apiKey: options.apiKey,
        model: options.model,
        timeoutMs: options.timeoutMs ?? 10_000,
        signal: input.context?.signal,
        fetch: options.fetch ?? fetch,
      });
      if (reply.usage) options.onUsage?.(reply.usage);
      const answer = 'content' in reply ? parseJudgeAnswer(reply.content) : reply;
      const durationMs = performance.now() - started;
      if ('error' in answer) return fallback(onFailure, answer.error, durationMs);
      return toVerdict(answer, principles, durationMs);
    },
  };
}

function shouldRun(
  input: SafetyInput,
  prior: readonly SafetyVerdict[],
  mode: 'unsure' | 'always',
  band: { low: number; high: number },
): boolean {
  if (mode === 'always' || input.context?.forceJudge) return true;
  const highest = Math.max(0, ...prior.flatMap((verdict) => Object.values(verdict.scores)));
  return highest >= band.low && highest < band.high;
}

function toVerdict(answer: JudgeAnswer, principles: Principles, durationMs: number): SafetyVerdict {
  const categories = answer.action === 'allow' ? [] : answer.categories;
  return {
    phase: 'judge',
    action: answer.action,
    categories,
    scores: Object.fromEntries(answer.categories.map((category) => [category, answer.score])),
    reason: `${principles.version}${answer.principle ? ` principle ${answer.principle}` : ''}: ${answer.reason}`,
    durationMs,
  };
}

function fallback(onFailure: 'fail_open' | 'fail_closed', error: string, durationMs: number): SafetyVerdict {
  return {
    phase: 'judge',
    action: onFailure === 'fail_open' ? 'allow' : 'block',
    categories: [],
    scores: {},
    reason: `judge unavailable (${error}); ${onFailure === 'fail_open' ? 'failing open' : 'failing closed'} as configured`,
    fallback: onFailure,
    durationMs,
  };
}
