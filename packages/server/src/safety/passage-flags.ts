import {
  createClassifierPhase,
  createRulesPhase,
  type LinearModel,
  loadModel,
  type SyncSafetyPhase,
  surfaceThresholds,
} from '@agentd/safety';
import type { SafetyCategory } from '@agentd/spec';

/** What marks a passage: an instruction in it, however it is phrased or hidden. */
const INJECTION_CATEGORIES: ReadonlySet<SafetyCategory> = new Set([
  'prompt_injection',
  'jailbreak',
  'encoded_payload',
  'hidden_text',
]);

/**
 * Checks a passage of an uploaded file (the `file` surface) with the rules
 * and the classifier, at the classifier's block threshold for files (calibrated
 * on benign documents, harmful-request words not scored): the categories of
 * the instructions found in it, none for ordinary text. file_search marks
 * such passages for the model (the text still reaches it, as data).
 */
export function createPassageFlagger(model: LinearModel = loadModel()): (text: string) => SafetyCategory[] {
  const phases: SyncSafetyPhase[] = [
    createRulesPhase({}),
    createClassifierPhase({ model, surfaces: { file: { flag: surfaceThresholds(model, 'file').block } } }),
  ];
  return (text) => {
    const found = new Set<SafetyCategory>();
    for (const phase of phases) {
      const verdict = phase.check({ text, surface: 'file' }, []);
      if (verdict.action === 'allow') continue;
      for (const category of verdict.categories) if (INJECTION_CATEGORIES.has(category)) found.add(category);
    }
    return [...found];
  };
}
