import type { SafetyContext, SafetyVerdict } from '@agentd/spec';
import { moreSevere } from '../pipeline/severity.js';
import type { SyncSafetyPhase } from '../pipeline/sync-phase.js';

export interface StreamGuardOptions {
  /** Characters kept back from the client until the phases have seen what follows them. Default 200. */
  holdBack?: number;
  /** Characters before the held-back text that the phases also see, for context. Default 300. */
  context?: number;
  safetyContext?: SafetyContext;
  /**
   * New characters that must arrive before the phases read the window again
   * (a pause and the end always check). Each check re-reads the context and
   * the held-back text, so checking on every word-sized delta reads each
   * character ~80 times; checking every 50 characters, ~11. Default 1: every delta.
   */
  checkEvery?: number;
}

/** What may go to the client now; when blocked, nothing more will. */
export type GuardStep =
  | { type: 'release'; text: string; verdicts: SafetyVerdict[] }
  | { type: 'block'; verdicts: SafetyVerdict[]; withheld: string };

/**
 * Checks streamed model output with synchronous phases (rules, classifier)
 * on a hold-back window: each delta is appended, the phases read the
 * unreleased text with some context before it, and only text older than the
 * hold-back is released. A block releases nothing more, and returns what was
 * withheld for the audit log (never for the client). Secrets the rules redact
 * inside the unreleased text are replaced before release.
 */
/** A last word that may be the start of a secret: digits or key symbols in it, or a long run. */
const KEY_LIKE = /[\d_\-/+=]|^\S{16,}$/u;

export function createStreamGuard(phases: readonly SyncSafetyPhase[], options: StreamGuardOptions = {}) {
  const holdBack = options.holdBack ?? 200;
  const contextSize = options.context ?? 300;
  const checkEvery = Math.max(1, options.checkEvery ?? 1);
  /** How much text there was when the phases last read it. */
  let checkedAt = 0;
  let text = '';
  let released = 0;
  let blocked = false;
  /** How much text there was at the last pause. */
  let flushedAt = -1;

  function step(final: boolean, paused = false): GuardStep {
    if (blocked) return { type: 'block', verdicts: [], withheld: '' };
    // Not enough new text to read again (nothing unchecked is released meanwhile), unless the
    // text has just passed the hold-back: the first release is not delayed.
    const firstRelease = checkedAt <= holdBack && text.length > holdBack;
    if (!final && !paused && !firstRelease && text.length - checkedAt < checkEvery)
      return { type: 'release', text: '', verdicts: [] };
    const from = Math.max(0, released - contextSize);
    const window = text.slice(from);
    const verdicts: SafetyVerdict[] = [];
    let action: SafetyVerdict['action'] = 'allow';
    for (const phase of phases) {
      const verdict = phase.check(
        { text: window, surface: 'model_output', context: options.safetyContext ?? {} },
        verdicts,
      );
      verdicts.push(verdict);
      action = moreSevere(action, verdict.action);
      if (verdict.action === 'block') {
        blocked = true;
        return { type: 'block', verdicts, withheld: text.slice(released) };
      }
    }
    if (action === 'redact') redactUnreleased(verdicts, from, final);
    checkedAt = text.length;
    const until = final ? text.length : Math.max(released, paused ? pausedRelease() : text.length - holdBack);
    const out = text.slice(released, until);
    released = until;
    return { type: 'release', text: out, verdicts };
  }

  /**
   * How far text may go while the model pauses: everything the phases have
   * read, except a last word that could be half a key and a tail that could
   * be the start of a denied term.
   */
  function pausedRelease(): number {
    const boundary = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n')) + 1;
    // A plain word goes; one that could be half a key or a token (digits, dashes, long) waits.
    let until = KEY_LIKE.test(text.slice(boundary)) ? boundary : text.length;
    const lower = text.slice(0, until).toLowerCase();
    for (const term of options.safetyContext?.denyList ?? []) {
      const wanted = term.trim().toLowerCase();
      for (let k = Math.min(wanted.length - 1, lower.length); k > 0; k--)
        if (lower.endsWith(wanted.slice(0, k))) {
          until = Math.min(until, lower.length - k);
          break;
        }
    }
    return until;
  }

  /**
   * Applies redactions whose spans lie wholly in the unreleased text (window
   * offsets start at `from`). A span that reaches the end of what has arrived
   * may still grow (half a key), so it waits for the next delta, unless the stream ended.
   */
  function redactUnreleased(verdicts: readonly SafetyVerdict[], from: number, final: boolean): void {
    const spans = verdicts
      .flatMap((verdict) => (verdict.action === 'redact' ? (verdict.spans ?? []) : []))
      .filter(
        (span) =>
          span.replacement !== undefined &&
          from + span.start >= released &&
          (final || from + span.end < text.length),
      )
      .sort((a, b) => b.start - a.start);
    let last = Number.POSITIVE_INFINITY;
    for (const span of spans) {
      if (span.end > last) continue;
      text = text.slice(0, from + span.start) + span.replacement + text.slice(from + span.end);
      last = span.start;
    }
  }

  return {
    /** Adds a delta; returns what may be sent now (possibly nothing) or the block. */
    push(delta: string): GuardStep {
      if (!blocked) text += delta;
      return step(false);
    },
    /**
     * The model paused (no delta for a while): releases what has been
     * checked instead of holding it until more arrives, so that a slow or
     * stalled answer is not kept from the client.
     */
    flush(): GuardStep {
      // Nothing new since the last pause: nothing more may go.
      if (blocked || text.length === flushedAt) return { type: 'release', text: '', verdicts: [] };
      flushedAt = text.length;
      return step(false, true);
    },
    /** The stream ended: checks and releases the rest. */
    end(): GuardStep {
      return step(true);
    },
  };
}

export type StreamGuard = ReturnType<typeof createStreamGuard>;
