import type {
  SafetyAction,
  SafetyInput,
  SafetyPhase,
  SafetyResult,
  SafetySpan,
  SafetySurface,
  SafetyVerdict,
} from '@agentd/spec';
import { moreSevere } from './severity.js';

export interface SafetyPipelineOptions {
  /** Which phases (by name) run on each surface; a surface not listed runs them all. */
  surfaces?: Partial<Record<SafetySurface, readonly string[]>>;
}

export interface SafetyPipeline {
  readonly phases: readonly SafetyPhase[];
  check(input: SafetyInput): Promise<SafetyResult>;
}

/**
 * Runs the phases in order, each seeing the verdicts before it, and stops at
 * the first block. The result carries every verdict (for the run's event
 * log), the most severe action, and the text with every redaction applied.
 */
export function createSafetyPipeline(
  phases: readonly SafetyPhase[],
  options: SafetyPipelineOptions = {},
): SafetyPipeline {
  return {
    phases,
    async check(input: SafetyInput): Promise<SafetyResult> {
      const enabled = options.surfaces?.[input.surface];
      const verdicts: SafetyVerdict[] = [];
      let action: SafetyAction = 'allow';
      for (const phase of phases) {
        if (enabled && !enabled.includes(phase.name)) continue;
        const verdict = await phase.check(input, verdicts);
        if (!verdict) continue;
        verdicts.push(verdict);
        action = moreSevere(action, verdict.action);
        if (verdict.action === 'block')
          return { action, text: applyRedactions(input.text, verdicts), verdicts, blockedBy: phase.name };
      }
      return { action, text: applyRedactions(input.text, verdicts), verdicts };
    },
  };
}

/** Replaces the spans of `redact` verdicts; overlapping spans merge into the first one's replacement. */
export function applyRedactions(text: string, verdicts: readonly SafetyVerdict[]): string {
  const spans: SafetySpan[] = verdicts
    .filter((verdict) => verdict.action === 'redact' || verdict.action === 'block')
    .flatMap((verdict) => verdict.spans ?? [])
    .filter((span) => span.replacement !== undefined)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + (span.start >= at ? span.replacement : '');
    at = span.end;
  }
  return out + text.slice(at);
}
