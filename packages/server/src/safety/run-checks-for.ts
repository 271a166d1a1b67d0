import type { RunChecks, StreamCheck, StreamCheckStep } from '@agentd/core';
import {
  createClassifierPhase,
  createRulesPhase,
  createStreamGuard,
  type JudgeEndpoint,
  type LinearModel,
  loadModel,
  pipelineForPolicy,
  type SafetyPipeline,
  type SyncSafetyPhase,
  surfaceThresholds,
} from '@agentd/safety';
import type { SafetyContext, SafetySurface, SafetyVerdict } from '@agentd/spec';
import type { ResolvedSafety, ResolvedSurface } from './resolve-safety.js';

export interface RunChecksDeps {
  /** The classifier's weights; the committed ones, loaded once, by default. */
  model?: LinearModel;
  /** The platform's judge; without one the judge phase never runs. */
  judge?: JudgeEndpoint;
}

let committedModel: LinearModel | undefined;
/** The committed weights, parsed on first use (0.8 MB) and shared by every run. */
function sharedModel(): LinearModel {
  committedModel ??= loadModel();
  return committedModel;
}

/** A score no classifier reaches: the classifier then flags at most. */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * The run's check points from its resolved safety setting: the user's input,
 * every tool result and streamed answers, each through the phases its
 * surface names. Undefined when the setting is off or names no phase anywhere.
 */
export function runChecksFor(
  setting: ResolvedSafety,
  context: SafetyContext,
  deps: RunChecksDeps = {},
): RunChecks | undefined {
  if (!setting.enabled) return undefined;
  const model = deps.model ?? sharedModel();
  const withList: SafetyContext = { ...context, denyList: setting.deny_list };
  const checks: RunChecks = {};
  const input = surfacePipeline(setting, 'user_input', setting.user_input, model, deps.judge);
  if (input)
    checks.input = (text, signal) =>
      input.check({ text, surface: 'user_input', context: { ...withList, signal } });
  const tool = surfacePipeline(setting, 'tool_output', setting.tool_output, model, deps.judge);
  if (tool)
    checks.toolOutput = (_name, text, signal) =>
      tool.check({ text, surface: 'tool_output', context: { ...withList, signal } });
  const stream = streamPhases(setting.model_output, setting, model);
  if (stream.length > 0)
    checks.stream = () =>
      onceEach(
        createStreamGuard(stream, {
          holdBack: setting.model_output.hold_back,
          // Read again every quarter hold-back (50 characters by default), not on every word.
          checkEvery: Math.max(1, Math.floor(setting.model_output.hold_back / 4)),
          safetyContext: withList,
        }),
        setting.model_output.pause_ms,
      );
  return checks.input || checks.toolOutput || checks.stream ? checks : undefined;
}

/**
 * A check on what a run asks to remember (the `memory` surface): the text to
 * store (redacted where the rules redact), or a refusal the model reads.
 * Undefined when the setting is off or the surface has no phase.
 */
export function memoryCheckFor(
  setting: ResolvedSafety,
  context: SafetyContext,
  deps: RunChecksDeps = {},
): ((text: string, signal: AbortSignal) => Promise<{ text: string } | { refused: string }>) | undefined {
  if (!setting.enabled) return undefined;
  const pipeline = surfacePipeline(
    setting,
    'memory',
    setting.memory,
    deps.model ?? sharedModel(),
    deps.judge,
  );
  if (!pipeline) return undefined;
  const withList: SafetyContext = { ...context, denyList: setting.deny_list };
  return async (text, signal) => {
    const result = await pipeline.check({ text, surface: 'memory', context: { ...withList, signal } });
    if (result.action !== 'block') return { text: result.text };
    const reasons = result.verdicts
      .filter((verdict) => verdict.action === 'block')
      .map((verdict) => verdict.reason);
    return { refused: `The safety checks refused it (${reasons.join('; ')}).` };
  };
}

/**
 * The classifier's thresholds on a surface: the surface's own setting, the
 * setting's `classifier`, else those the weights file calibrated for the
 * surface (ADR-0016).
 */
function ownThresholds(
  setting: ResolvedSafety,
  name: SafetySurface,
  surface: ResolvedSurface,
  model: LinearModel,
) {
  const calibrated = surfaceThresholds(model, name);
  return {
    flag: surface.classifier?.flag ?? setting.classifier.flag ?? calibrated.flag,
    block: surface.classifier?.block ?? setting.classifier.block ?? calibrated.block,
  };
}

/**
 * The classifier's thresholds on a surface. Where it may only flag and no
 * judge would read its unsure band, it flags what it would have blocked:
 * a flag is then a finding worth the log, not one in three ordinary prompts.
 */
function thresholds(
  setting: ResolvedSafety,
  name: SafetySurface,
  surface: ResolvedSurface,
  model: LinearModel,
  judged: boolean,
) {
  const { flag, block } = ownThresholds(setting, name, surface, model);
  if (surface.classifier_action === 'block') return { flag, block };
  return { flag: judged ? flag : block, block: NEVER };
}

/** The judge reads the classifier's unsure band, and all it would have blocked where it only flags. */
function judgeBand(
  setting: ResolvedSafety,
  name: SafetySurface,
  surface: ResolvedSurface,
  model: LinearModel,
) {
  if (setting.judge.band) return setting.judge.band;
  const { flag, block } = ownThresholds(setting, name, surface, model);
  return { low: flag, high: surface.classifier_action === 'block' ? block : 1.01 };
}

function surfacePipeline(
  setting: ResolvedSafety,
  name: SafetySurface,
  surface: ResolvedSurface,
  model: LinearModel,
  judge: JudgeEndpoint | undefined,
): SafetyPipeline | undefined {
  if (surface.phases.length === 0) return undefined;
  const { judge: judgeSetting } = setting;
  const judged = judge !== undefined && judgeSetting.mode !== 'off' && surface.phases.includes('judge');
  return pipelineForPolicy(
    {
      surfaces: { [name]: surface.phases },
      actions: surface.actions,
      classifier: { surfaces: { [name]: thresholds(setting, name, surface, model, judged) } },
      judge: {
        ...(judgeSetting.mode ? { mode: judgeSetting.mode } : {}),
        band: judgeBand(setting, name, surface, model),
        ...(judgeSetting.on_failure ? { onFailure: judgeSetting.on_failure } : {}),
        ...(judgeSetting.timeout_ms ? { timeoutMs: judgeSetting.timeout_ms } : {}),
      },
    },
    { model, ...(judge ? { judge } : {}) },
  );
}

function streamPhases(
  surface: ResolvedSurface,
  setting: ResolvedSafety,
  model: LinearModel,
): SyncSafetyPhase[] {
  const phases: SyncSafetyPhase[] = [];
  for (const name of surface.phases) {
    if (name === 'rules') phases.push(createRulesPhase({ actions: surface.actions }));
    if (name === 'classifier')
      phases.push(
        createClassifierPhase({
          model,
          surfaces: { model_output: thresholds(setting, 'model_output', surface, model, false) },
        }),
      );
  }
  return phases;
}

/**
 * The guard re-reads its window on every delta, so a finding (a flagged
 * e-mail address) would be reported again with each one; the log gets each
 * finding once per message. A block always reaches the loop.
 */
function onceEach(
  guard: { push(delta: string): StreamCheckStep; end(): StreamCheckStep; flush(): StreamCheckStep },
  pauseMs: number,
): StreamCheck {
  const seen = new Set<string>();
  const fresh = (step: StreamCheckStep): StreamCheckStep => {
    if (step.type === 'block') return step;
    const verdicts = step.verdicts.filter((verdict) => {
      if (verdict.action === 'allow') return false;
      const key = keyOf(verdict);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { ...step, verdicts };
  };
  return {
    push: (delta) => fresh(guard.push(delta)),
    end: () => fresh(guard.end()),
    ...(pauseMs > 0 ? { flush: () => fresh(guard.flush()), pauseMs } : {}),
  };
}

function keyOf(verdict: SafetyVerdict): string {
  return `${verdict.phase}:${verdict.action}:${verdict.categories.join(',')}`;
}
