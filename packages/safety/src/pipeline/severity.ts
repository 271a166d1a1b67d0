import type { SafetyAction } from '@agentd/spec';

const ORDER: readonly SafetyAction[] = ['allow', 'flag', 'redact', 'block'];

/** The more severe of two actions: block > redact > flag > allow. */
export function moreSevere(a: SafetyAction, b: SafetyAction): SafetyAction {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}
