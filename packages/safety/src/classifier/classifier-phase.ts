import type { SafetyCategory, SafetyInput, SafetySurface, SafetyVerdict } from '@agentd/spec';
import type { SyncSafetyPhase } from '../pipeline/sync-phase.js';
import { type LinearModel, scoreText } from './linear-model.js';
import { type ResolvedSurfaceScoring, surfaceScoring } from './surface-scoring.js';
import { loadModel } from './weights-file.js';

type Thresholds = { flag?: number; block?: number };

export interface ClassifierPhaseOptions {
  /** Defaults to the committed weights. */
  model?: LinearModel;
  /** Overrides the thresholds stored with the weights, on every surface. */
  thresholds?: Thresholds;
  /** Overrides them on one surface (wins over `thresholds`). */
  surfaces?: Partial<Record<SafetySurface, Thresholds>>;
}

/** In data (tool output, files, memories) an instruction is an injection; from the user it is a jailbreak attempt. */
const DATA_SURFACES: ReadonlySet<SafetySurface> = new Set(['tool_output', 'file', 'memory']);

/**
 * Phase 2: the injection and jailbreak classifier, in process. Long texts
 * are scored in overlapping windows; the verdict carries the highest
 * window's score and span. At or above `block` it blocks, from `flag` it
 * flags (the judge's band), below it allows. Each surface has its own
 * thresholds and masked signals from the weights file (the harmful-request
 * vocabulary is a jailbreak concern of user input, and everyday words of
 * technical text a tool returns), unless the options override them.
 */
export function createClassifierPhase(options: ClassifierPhaseOptions = {}): SyncSafetyPhase {
  const model = options.model ?? loadModel();
  const resolved = new Map<SafetySurface, ResolvedSurfaceScoring>();
  const scoringOf = (surface: SafetySurface): ResolvedSurfaceScoring => {
    let found = resolved.get(surface);
    if (!found) {
      const stored = surfaceScoring(model, surface);
      const own = options.surfaces?.[surface];
      found = {
        mask: stored.mask,
        thresholds: {
          flag: own?.flag ?? options.thresholds?.flag ?? stored.thresholds.flag,
          block: own?.block ?? options.thresholds?.block ?? stored.thresholds.block,
        },
      };
      resolved.set(surface, found);
    }
    return found;
  };
  return {
    name: 'classifier',
    check(input: SafetyInput): SafetyVerdict {
      const started = performance.now();
      const { thresholds, mask } = scoringOf(input.surface);
      const { flag, block } = thresholds;
      const { score, start, end } = scoreText(model, input.text, mask);
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
