import {
  createClassifierPhase,
  createRulesPhase,
  createSafetyPipeline,
  type SafetyPipeline,
} from '@agentd/safety';
import { SAFETY_CATEGORIES, type SafetyCategory, type SafetyResult } from '@agentd/spec';

/** The categories `POST /v1/moderations` reports, each with a flag and a score. */
export const MODERATION_CATEGORIES: readonly SafetyCategory[] = SAFETY_CATEGORIES;

export const MODERATION_MODEL = 'agentd-safety-1';

let pipeline: SafetyPipeline | undefined;

/** The rules and the classifier (no judge: moderation answers at once); the classifier's weights load on first use. */
export function moderationPipeline(): SafetyPipeline {
  pipeline ??= createSafetyPipeline([createRulesPhase(), createClassifierPhase()]);
  return pipeline;
}

export interface ModerationResult {
  flagged: boolean;
  categories: Record<string, boolean>;
  category_scores: Record<string, number>;
}

/**
 * OpenAI's result shape. A category is flagged when a phase named it in a
 * verdict other than allow, except the classifier's `flag`, which means
 * unsure (the judge's band) and only shows in the scores.
 */
export function toModerationResult(result: SafetyResult): ModerationResult {
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  for (const category of MODERATION_CATEGORIES) {
    categories[category] = false;
    scores[category] = 0;
  }
  for (const verdict of result.verdicts) {
    for (const [category, score] of Object.entries(verdict.scores))
      scores[category] = Math.max(scores[category] ?? 0, score ?? 0);
    const unsure = verdict.phase === 'classifier' && verdict.action === 'flag';
    if (verdict.action !== 'allow' && !unsure)
      for (const category of verdict.categories) categories[category] = true;
  }
  return { flagged: Object.values(categories).includes(true), categories, category_scores: scores };
}
