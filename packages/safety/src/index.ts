export { type ClassifierPhaseOptions, createClassifierPhase } from './classifier/classifier-phase.js';
export { type LinearModel, scoreText } from './classifier/linear-model.js';
export { normalizeText } from './classifier/normalize.js';
export {
  type SurfaceScoring,
  surfaceScoring,
  surfaceThresholds,
} from './classifier/surface-scoring.js';
export { DEFAULT_WEIGHTS_URL, loadModel, parseModel, serializeModel } from './classifier/weights-file.js';
export { createJudgePhase, type JudgePhaseOptions } from './judge/judge-phase.js';
export type { JudgeUsage } from './judge/judge-request.js';
export { PRINCIPLES_V1, type Principles } from './judge/principles.js';
export {
  applyRedactions,
  createSafetyPipeline,
  type SafetyPipeline,
  type SafetyPipelineOptions,
} from './pipeline/safety-pipeline.js';
export { moreSevere } from './pipeline/severity.js';
export type { SyncSafetyPhase } from './pipeline/sync-phase.js';
export {
  DEFAULT_SURFACES,
  type JudgeEndpoint,
  pipelineForPolicy,
  type SafetyPhaseName,
  type SafetyPolicy,
} from './policy/safety-policy.js';
export { PII_LABELS, type PiiFinding, type PiiType } from './rules/pii/pii-finding.js';
export { redactPii } from './rules/pii/redact-pii.js';
export { scanPii } from './rules/pii/scan-pii.js';
export { createRulesPhase, DEFAULT_RULE_ACTIONS, type RulesPhaseOptions } from './rules/rules-phase.js';
export {
  createStreamGuard,
  type GuardStep,
  type StreamGuard,
  type StreamGuardOptions,
} from './stream/stream-guard.js';
