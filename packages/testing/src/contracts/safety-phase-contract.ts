import {
  SAFETY_ACTIONS,
  SAFETY_CATEGORIES,
  SAFETY_SURFACES,
  type SafetyAction,
  type SafetyCategory,
  type SafetyInput,
  type SafetyPhase,
  type SafetyVerdict,
} from '@agentd/spec';
import { afterAll, describe, expect, it } from 'vitest';

const ACTIONS: readonly SafetyAction[] = SAFETY_ACTIONS;
const CATEGORIES: readonly SafetyCategory[] = SAFETY_CATEGORIES;

/** How a phase that asks a remote service (the judge) is made to fail, and what it was told to do then. */
export interface SafetyPhaseFailures {
  /** The phase with `onFailure` and a time-out of `timeoutMs` set. */
  phase(onFailure: 'fail_open' | 'fail_closed', timeoutMs: number): SafetyPhase | Promise<SafetyPhase>;
  /** The time-out the time-out cases use, in milliseconds (the cancel case uses a minute). */
  timeoutMs: number;
  /** Makes the next call to the service hang (no answer at all). */
  hangNext(): void;
  /** Makes the next call to the service fail on the remote side (an HTTP error). */
  failNext(): void;
  /** Makes the next answer one the phase cannot read (not its schema). */
  garbleNext(): void;
}

/**
 * One SafetyPhase implementation, and texts it must act on. The phase is
 * asked with `prior` (the verdicts that make it run: the judge only runs
 * where the earlier phases are unsure).
 */
export interface SafetyPhaseSubject {
  phase(): SafetyPhase | Promise<SafetyPhase>;
  /** Verdicts of earlier phases passed to every check; default none. */
  prior?: readonly SafetyVerdict[];
  /** A text (with its surface) the phase does not allow. */
  caught: SafetyInput;
  /** A plain text the phase allows. */
  harmless: SafetyInput;
  /**
   * Called before each check with what the phase is expected to say about
   * the text (a remote judge is scripted here); `any` for texts the suite
   * only checks the shape of.
   */
  prepare?(expected: 'caught' | 'harmless' | 'any'): void;
  /** Verdicts of earlier phases under which the phase does not run and returns null (the judge's band). */
  notRunWith?: readonly SafetyVerdict[];
  /** How long a check of about a megabyte may take; default 15 s. */
  hugeWithinMs?: number;
  failures?: SafetyPhaseFailures;
  close?(): Promise<void>;
}

/** Every promise of the SafetyVerdict contract about one verdict for one text. */
export function expectWellFormedVerdict(verdict: SafetyVerdict, phase: SafetyPhase, text: string): void {
  expect(verdict.phase).toBe(phase.name);
  expect(ACTIONS).toContain(verdict.action);
  for (const category of verdict.categories) expect(CATEGORIES).toContain(category);
  expect(new Set(verdict.categories).size).toBe(verdict.categories.length);
  for (const [category, score] of Object.entries(verdict.scores)) {
    expect(CATEGORIES).toContain(category);
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
  }
  // An action other than allow says what it is about (unless the configured default decided: nothing was found).
  if (verdict.action !== 'allow' && verdict.fallback === undefined)
    expect(verdict.categories.length).toBeGreaterThan(0);
  expect(typeof verdict.reason).toBe('string');
  expect(verdict.reason.length).toBeGreaterThan(0);
  expect(Number.isFinite(verdict.durationMs)).toBe(true);
  expect(verdict.durationMs).toBeGreaterThanOrEqual(0);
  for (const span of verdict.spans ?? []) {
    expect(Number.isInteger(span.start) && Number.isInteger(span.end)).toBe(true);
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeGreaterThan(span.start);
    expect(span.end).toBeLessThanOrEqual(text.length);
    expect(verdict.categories).toContain(span.category);
  }
  // A redaction says what to replace; spans of other actions are pointers only.
  if (verdict.action === 'redact') expect(verdict.spans?.length ?? 0).toBeGreaterThan(0);
  if (verdict.fallback !== undefined) expect(['fail_open', 'fail_closed']).toContain(verdict.fallback);
}

/**
 * What the pipeline, the stream guard and the run's event log rely on from
 * every safety phase, the rules and the classifier in process and the judge
 * against an OpenAI-compatible server alike: a verdict of one shape (known
 * actions and categories, scores in 0..1, spans inside the text and of the
 * verdict's categories, a reason), on every surface, for an empty text and a
 * text of a megabyte; and, for a phase that calls a service, a time-out, a
 * remote failure or an unreadable answer decided by the configured default
 * and said so, never an exception, and a cancelled request ending the check.
 */
export function describeSafetyPhaseContract(name: string, subject: SafetyPhaseSubject): void {
  describe(`SafetyPhase contract: ${name}`, () => {
    afterAll(() => subject.close?.());
    const prior = subject.prior ?? [];
    const check = async (input: SafetyInput, expected: 'caught' | 'harmless' | 'any' = 'any') => {
      const phase = await subject.phase();
      subject.prepare?.(expected);
      const verdict = await phase.check(input, prior);
      return { phase, verdict };
    };

    it('acts on the text it is meant to catch: not allow, with categories and well-formed spans', async () => {
      const { phase, verdict } = await check(subject.caught, 'caught');
      expect(verdict).not.toBeNull();
      expectWellFormedVerdict(verdict!, phase, subject.caught.text);
      expect(verdict!.action).not.toBe('allow');
      expect(verdict!.fallback).toBeUndefined();
      // Each category it names has its score.
      for (const category of verdict!.categories) expect(verdict!.scores[category]).toBeDefined();
    });

    it('allows a harmless text, with no categories and no spans', async () => {
      const { phase, verdict } = await check(subject.harmless, 'harmless');
      expect(verdict).not.toBeNull();
      expectWellFormedVerdict(verdict!, phase, subject.harmless.text);
      expect(verdict!.action).toBe('allow');
      expect(verdict!.categories).toEqual([]);
      expect(verdict!.spans ?? []).toEqual([]);
    });

    it.each(SAFETY_SURFACES)('gives a well-formed verdict on the %s surface', async (surface) => {
      for (const text of [subject.caught.text, subject.harmless.text]) {
        const { phase, verdict } = await check({ text, surface });
        if (verdict) expectWellFormedVerdict(verdict, phase, text);
      }
    });

    it('takes an empty text: nothing to act on, no span', async () => {
      const { phase, verdict } = await check({ text: '', surface: subject.harmless.surface }, 'harmless');
      if (!verdict) return;
      expectWellFormedVerdict(verdict, phase, '');
      expect(verdict.action).toBe('allow');
      expect(verdict.spans ?? []).toEqual([]);
    });

    it('takes a text of about a megabyte, with the caught text in its middle, in bounded time', async () => {
      const filler = `${subject.harmless.text} `.repeat(
        Math.ceil(500_000 / (subject.harmless.text.length + 1)),
      );
      const text = `${filler}${subject.caught.text} ${filler}`;
      const started = performance.now();
      const { phase, verdict } = await check({ text, surface: subject.caught.surface }, 'caught');
      expect(performance.now() - started).toBeLessThan(subject.hugeWithinMs ?? 15_000);
      expect(verdict).not.toBeNull();
      expectWellFormedVerdict(verdict!, phase, text);
      expect(verdict!.action).not.toBe('allow');
      // Spans point into the text as given: at the caught part, wherever in the text it is.
      for (const span of verdict!.spans ?? []) {
        expect(span.start).toBeLessThan(filler.length + subject.caught.text.length);
        expect(span.end).toBeGreaterThan(filler.length);
      }
    });

    if (subject.notRunWith) {
      const notRunWith = subject.notRunWith;
      it('returns null, and does no work, where it is not meant to run', async () => {
        const phase = await subject.phase();
        expect(await phase.check(subject.caught, notRunWith)).toBeNull();
      });
    }

    const failures = subject.failures;
    if (failures) {
      const failed = async (
        onFailure: 'fail_open' | 'fail_closed',
        make: () => void,
        context?: SafetyInput['context'],
        timeoutMs = failures.timeoutMs,
      ) => {
        const phase = await failures.phase(onFailure, timeoutMs);
        make();
        const started = performance.now();
        const verdict = await phase.check({ ...subject.caught, ...(context ? { context } : {}) }, prior);
        return { phase, verdict, elapsed: performance.now() - started };
      };
      const decided = (verdict: SafetyVerdict | null, onFailure: 'fail_open' | 'fail_closed') => {
        expect(verdict).not.toBeNull();
        expect(verdict!.fallback).toBe(onFailure);
        expect(verdict!.action).toBe(onFailure === 'fail_open' ? 'allow' : 'block');
      };

      it.each(['fail_open', 'fail_closed'] as const)(
        'decides by its default (%s) when the service does not answer in time, and says so',
        async (onFailure) => {
          const { phase, verdict, elapsed } = await failed(onFailure, failures.hangNext);
          decided(verdict, onFailure);
          expectWellFormedVerdict(verdict!, phase, subject.caught.text);
          expect(elapsed).toBeGreaterThanOrEqual(failures.timeoutMs * 0.9);
          expect(elapsed).toBeLessThan(failures.timeoutMs + 5_000);
        },
      );

      it.each(['fail_open', 'fail_closed'] as const)(
        'decides by its default (%s) when the service fails or answers what it cannot read',
        async (onFailure) => {
          for (const make of [failures.failNext, failures.garbleNext]) {
            const { verdict } = await failed(onFailure, make);
            decided(verdict, onFailure);
            expect(verdict!.reason.length).toBeGreaterThan(0);
          }
        },
      );

      it('ends the check soon after the request is cancelled, whatever the time-out', async () => {
        const controller = new AbortController();
        const outcome = failed('fail_open', failures.hangNext, { signal: controller.signal }, 60_000).then(
          ({ verdict }) => verdict,
          (error: unknown) => error,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
        const aborted = performance.now();
        controller.abort();
        await outcome;
        expect(performance.now() - aborted).toBeLessThan(2_000);
      });
    }
  });
}
