import type { SafetyAction, SafetyCategory, SafetyInput, SafetySpan, SafetyVerdict } from '@agentd/spec';
import { normalizeText } from '../classifier/normalize.js';
import { firstMatch, SIGNALS } from '../classifier/signals.js';
import { moreSevere } from '../pipeline/severity.js';
import type { SyncSafetyPhase } from '../pipeline/sync-phase.js';
import { findDenied } from './deny-list.js';
import { findEncodedPayloads } from './encoded-payloads.js';
import { decodeTagCharacters, findHiddenText } from './hidden-unicode.js';
import { findInjectionMarkers } from './injection-markers.js';
import { PII_LABELS } from './pii/pii-finding.js';
import { scanPii } from './pii/scan-pii.js';
import type { RuleFinding } from './rule-finding.js';

export interface RulesPhaseOptions {
  /** What a finding of each category does; unlisted categories use DEFAULT_RULE_ACTIONS. */
  actions?: Partial<Record<SafetyCategory, SafetyAction>>;
}

/** Secrets and hidden characters are removed, tenants' denied terms block, the rest is flagged for the later phases. */
export const DEFAULT_RULE_ACTIONS: Readonly<Record<SafetyCategory, SafetyAction>> = {
  prompt_injection: 'flag',
  jailbreak: 'flag',
  secret: 'redact',
  pii: 'flag',
  hidden_text: 'redact',
  encoded_payload: 'block',
  deny_list: 'block',
  harmful: 'flag',
};

const INSTRUCTION_SIGNALS = new Set([
  'override',
  'override_short',
  'new_instructions',
  'persona',
  'unrestricted',
  'extraction',
  'must_obey',
  'code_exec',
  'safety_off',
  'exfiltration',
]);
const INSTRUCTIONS = SIGNALS.filter((signal) => INSTRUCTION_SIGNALS.has(signal.name));

/** Phase 1: fast pattern rules (well within 2 ms on 4,000 characters). */
export function createRulesPhase(options: RulesPhaseOptions = {}): SyncSafetyPhase {
  const actions = { ...DEFAULT_RULE_ACTIONS, ...options.actions };
  return {
    name: 'rules',
    check(input: SafetyInput): SafetyVerdict {
      const started = performance.now();
      const findings = findAll(input);
      return toVerdict(findings, actions, performance.now() - started);
    },
  };
}

export function findAll(input: SafetyInput): RuleFinding[] {
  const { text } = input;
  const findings: RuleFinding[] = [
    ...findInjectionMarkers(text),
    ...findHiddenText(text),
    ...findEncodedPayloads(text, instructionIn),
    ...findDenied(text, input.context?.denyList ?? []),
  ];
  const smuggled = decodeTagCharacters(text);
  if (smuggled)
    for (const finding of findInjectionMarkers(smuggled))
      findings.push({ ...finding, note: `hidden: ${finding.note}` });
  for (const pii of scanPii(text))
    findings.push({
      category: pii.type === 'api_key' ? 'secret' : 'pii',
      score: 1,
      note: PII_LABELS[pii.type],
      start: pii.start,
      end: pii.end,
      replacement: `[redacted ${PII_LABELS[pii.type]}]`,
    });
  return findings;
}

/** Why a decoded payload reads as an instruction, or null. */
function instructionIn(decoded: string): string | null {
  const normalised = normalizeText(decoded);
  const fired = INSTRUCTIONS.filter((signal) => firstMatch(signal, normalised) !== null);
  return fired.length > 0 ? fired.map((signal) => signal.name).join(', ') : null;
}

function toVerdict(
  findings: readonly RuleFinding[],
  actions: Readonly<Record<SafetyCategory, SafetyAction>>,
  durationMs: number,
): SafetyVerdict {
  let action: SafetyAction = 'allow';
  const scores: Partial<Record<SafetyCategory, number>> = {};
  const spans: SafetySpan[] = [];
  for (const finding of findings) {
    const categoryAction = actions[finding.category];
    action = moreSevere(action, categoryAction);
    scores[finding.category] = Math.max(scores[finding.category] ?? 0, finding.score);
    if (finding.start !== undefined && finding.end !== undefined)
      spans.push({
        start: finding.start,
        end: finding.end,
        category: finding.category,
        ...(categoryAction === 'redact' && finding.replacement !== undefined
          ? { replacement: finding.replacement }
          : {}),
      });
  }
  const categories = Object.keys(scores) as SafetyCategory[];
  return {
    phase: 'rules',
    action,
    categories,
    scores,
    reason:
      findings.length === 0
        ? 'no rule matched'
        : findings.map((finding) => `${finding.category}: ${finding.note}`).join('; '),
    ...(spans.length > 0 ? { spans: spans.sort((a, b) => a.start - b.start) } : {}),
    durationMs,
  };
}
