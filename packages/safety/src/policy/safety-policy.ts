import type { SafetyAction, SafetyCategory, SafetySurface } from '@agentd/spec';
import { createClassifierPhase } from '../classifier/classifier-phase.js';
import type { LinearModel } from '../classifier/linear-model.js';
import { createJudgePhase, type JudgePhaseOptions } from '../judge/judge-phase.js';
import { createSafetyPipeline, type SafetyPipeline } from '../pipeline/safety-pipeline.js';
import { createRulesPhase } from '../rules/rules-phase.js';

export type SafetyPhaseName = 'rules' | 'classifier' | 'judge';

/**
 * What an agent (or a tenant's or the platform's default) asks of the
 * pipeline: which phases run on which surface, the classifier's thresholds,
 * the action for each rule category, and when the judge runs. Everything is
 * optional; the defaults run rules and classifier everywhere and the judge
 * only in its band, when one is configured.
 */
export interface SafetyPolicy {
  surfaces?: Partial<Record<SafetySurface, readonly SafetyPhaseName[]>>;
  actions?: Partial<Record<SafetyCategory, SafetyAction>>;
  /** The classifier's thresholds on every surface, and per surface (which wins); unset, the weights file's per surface. */
  classifier?: {
    flag?: number;
    block?: number;
    surfaces?: Partial<Record<SafetySurface, { flag?: number; block?: number }>>;
  };
  judge?: {
    mode?: 'off' | 'unsure' | 'always';
    band?: { low: number; high: number };
    onFailure?: 'fail_open' | 'fail_closed';
    timeoutMs?: number;
  };
}

/** Where the judge is, from the platform's configuration (never from an agent: it holds a key). */
export type JudgeEndpoint = Pick<JudgePhaseOptions, 'baseURL' | 'apiKey' | 'model' | 'fetch' | 'onUsage'>;

/** Streamed output is checked on every delta: the judge is too slow there unless a policy names it. */
export const DEFAULT_SURFACES: Readonly<Record<SafetySurface, readonly SafetyPhaseName[]>> = {
  user_input: ['rules', 'classifier', 'judge'],
  tool_output: ['rules', 'classifier', 'judge'],
  model_output: ['rules', 'classifier'],
  memory: ['rules', 'classifier', 'judge'],
  file: ['rules', 'classifier', 'judge'],
};

/** Builds the pipeline a policy describes. The judge is included only with an endpoint and a mode other than `off`. */
export function pipelineForPolicy(
  policy: SafetyPolicy,
  deps: { judge?: JudgeEndpoint; model?: LinearModel } = {},
): SafetyPipeline {
  const judgeMode = policy.judge?.mode ?? 'unsure';
  const phases = [
    createRulesPhase({ actions: policy.actions ?? {} }),
    createClassifierPhase({
      ...(deps.model ? { model: deps.model } : {}),
      thresholds: { flag: policy.classifier?.flag, block: policy.classifier?.block },
      surfaces: policy.classifier?.surfaces ?? {},
    }),
  ];
  const withJudge = deps.judge !== undefined && judgeMode !== 'off';
  const judge = withJudge
    ? createJudgePhase({
        ...(deps.judge as JudgeEndpoint),
        mode: judgeMode === 'always' ? 'always' : 'unsure',
        ...(policy.judge?.band ? { band: policy.judge.band } : {}),
        ...(policy.judge?.onFailure ? { onFailure: policy.judge.onFailure } : {}),
        ...(policy.judge?.timeoutMs ? { timeoutMs: policy.judge.timeoutMs } : {}),
      })
    : undefined;
  return createSafetyPipeline(judge ? [...phases, judge] : phases, {
    surfaces: { ...DEFAULT_SURFACES, ...policy.surfaces },
  });
}
