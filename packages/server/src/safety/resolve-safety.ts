import type { RuleActions, SafetyPhaseName, SafetySetting, SafetySurfaceSetting } from '@agentd/spec/wire';

export interface ResolvedSurface {
  phases: SafetyPhaseName[];
  actions: RuleActions;
  classifier_action: 'flag' | 'block';
  /** This surface's classifier thresholds, when a setting names them (over `ResolvedSafety.classifier`). */
  classifier?: { flag?: number; block?: number };
}

/** A setting with every level applied and every field filled. */
export interface ResolvedSafety {
  enabled: boolean;
  user_input: ResolvedSurface;
  tool_output: ResolvedSurface;
  model_output: ResolvedSurface & { hold_back: number; pause_ms: number };
  memory: ResolvedSurface;
  classifier: { flag?: number; block?: number };
  judge: NonNullable<SafetySetting['judge']>;
  deny_list: string[];
  spotlight: boolean;
}

/**
 * agentd's defaults, chosen so that ordinary text passes (ADR-0018, figures
 * from bench/safety.mjs). At their thresholds the classifier would block
 * about 4 % and the injection-marker rules about 2 % of benign 4,000-character
 * documents, so on tool results both flag: the result reaches the model
 * marked as data (spotlighting), the verdict is in the log, and a configured
 * judge reviews what they flag. (Since ADR-0016's per-surface calibration the
 * classifier reads tool results, files, memories and streamed answers without
 * its harmful-request words, at thresholds set on benign documents: it blocks
 * about 1 % of them there.) Rules block where they are precise (encoded
 * instructions, the deny list). Hidden characters in tool results are
 * flagged, not removed, so a result is stored as the tool gave it. Streamed
 * answers are held back 200 characters while the rules and the classifier
 * read them (a denied term never reaches the client); when the model pauses,
 * what was checked goes out, so a slow answer is not held until its end.
 */
export const DEFAULT_SAFETY: ResolvedSafety = {
  enabled: true,
  user_input: { phases: ['rules', 'classifier', 'judge'], actions: {}, classifier_action: 'flag' },
  tool_output: {
    phases: ['rules', 'classifier', 'judge'],
    actions: { hidden_text: 'flag' },
    classifier_action: 'flag',
  },
  // Streamed answers are held back 200 characters and checked; a pause in the stream releases what was checked.
  model_output: {
    phases: ['rules', 'classifier'],
    actions: {},
    classifier_action: 'flag',
    hold_back: 200,
    pause_ms: 250,
  },
  // A remembered text is put into later runs' instructions: an instruction there would outlive the run.
  memory: {
    phases: ['rules', 'classifier', 'judge'],
    actions: { prompt_injection: 'block', jailbreak: 'block' },
    classifier_action: 'flag',
  },
  classifier: {},
  judge: { mode: 'unsure' },
  deny_list: [],
  spotlight: true,
};

/** Applies settings in order (platform, tenant, agent): later fields win, objects merge, lists replace. */
export function resolveSafety(
  base: ResolvedSafety,
  ...levels: readonly (SafetySetting | null | undefined)[]
): ResolvedSafety {
  let resolved = base;
  for (const level of levels) {
    if (!level) continue;
    resolved = {
      enabled: level.enabled ?? resolved.enabled,
      user_input: surface(resolved.user_input, level.user_input),
      tool_output: surface(resolved.tool_output, level.tool_output),
      model_output: {
        ...surface(resolved.model_output, level.model_output),
        hold_back: level.model_output?.hold_back ?? resolved.model_output.hold_back,
        pause_ms: level.model_output?.pause_ms ?? resolved.model_output.pause_ms,
      },
      memory: surface(resolved.memory, level.memory),
      classifier: { ...resolved.classifier, ...level.classifier },
      judge: { ...resolved.judge, ...level.judge },
      deny_list: level.deny_list ?? resolved.deny_list,
      spotlight: level.spotlight ?? resolved.spotlight,
    };
  }
  return resolved;
}

function surface<T extends ResolvedSurface>(base: T, level: SafetySurfaceSetting | undefined): T {
  if (!level) return base;
  return {
    ...base,
    phases: level.phases ?? base.phases,
    actions: { ...base.actions, ...level.actions },
    classifier_action: level.classifier_action ?? base.classifier_action,
    ...(base.classifier || level.classifier
      ? { classifier: { ...base.classifier, ...level.classifier } }
      : {}),
  };
}
