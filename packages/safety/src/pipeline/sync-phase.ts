import type { SafetyInput, SafetyPhase, SafetyVerdict } from '@agentd/spec';

/** A phase that answers synchronously and always (rules, classifier): usable on a stream's hold-back window without awaiting. */
export interface SyncSafetyPhase extends SafetyPhase {
  check(input: SafetyInput, prior?: readonly SafetyVerdict[]): SafetyVerdict;
}
