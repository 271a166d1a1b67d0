import type { SafetyCategory, SafetyInput, SafetySurface, SafetyVerdict } from '@agentd/spec';
import type { SyncSafetyPhase } from '../pipeline/sync-phase.js';
import { type LinearModel, scoreText } from './linear-model.js';
import { loadModel } from './weights-file.js';

export interface ClassifierPhaseOptions {
  /** Defaults to the committed weights. */
  model?: LinearModel;
  /** Overrides the thresholds stored with the weights. */
  thresholds?: { flag?: number; block?: number };
}

/** In data (tool output, files, memories) an instruction is an injection; from the user it is a jailbreak attempt. */
const DATA_SURFACES: ReadonlySet<SafetySurface> = new Set(['tool_output', 'file', 'memory']);

/**
 * Phase 2: the injection and jailbreak classifier, in process. Long texts
 * are scored in overlapping windows; the verdict carries the highest
 * window's score and span. At or above `block` it blocks, from `flag` it
 * flags (the judge's band), below it allows.
 */
export function createClassifierPhase(options: ClassifierPhaseOptions = {}): SyncSafetyPhase {
  const model = options.model ?? loadModel();
  const flag = options.thresholds?.flag ?? model.thresholds.flag;
  const block = options.thresholds?.block ?? model.thresholds.block;
  return {
    name: 'classifier',
    check(input: SafetyInput): SafetyVerdict {
      const started = performance.now();
      const { score, start, end } = scoreText(model, input.text);
      const category: SafetyCategory = DATA_SURFACES.has(input.surface) ? 'prompt_injection' : 'jailbreak';
      const action = score >= block ? 'block' : score >= flag ? 'flag' : 'allow';
      return {
        phase: 'classifier',
        action,
        categories: action === 'allow' ? [] : [category],
        scores: { [category]: score },
        reason:
          action === 'allow'
            ? `score ${score.toFixed(3)} below ${flag.toFixed(3)}`
            : `score ${score.toFixed(3)} (${action} from ${(action === 'block' ? block : flag).toFixed(3)}) for characters ${start}-${end}`,
        ...(action === 'allow' ? {} : { spans: [{ start, end, category }] }),
        durationMs: performance.now() - started,
      };
    },
  };
}
