import { PII_LABELS, type PiiFinding, type PiiType, redactPii } from '@agentd/safety';

/** What to do with text that contains personal data: replace it, or turn the text away. */
export type PiiMode = 'redact' | 'refuse';

export type PiiPolicyResult =
  | { ok: true; text: string; findings: PiiFinding[] }
  | { ok: false; findings: PiiFinding[]; message: string };

/**
 * Applies a tenant's PII mode to a text about to be stored (a memory, a
 * file's chunks). Text without findings passes unchanged in either mode.
 * The refusal message names the kinds found and how many, never the values.
 */
export function applyPiiPolicy(text: string, mode: PiiMode): PiiPolicyResult {
  const { text: redacted, findings } = redactPii(text);
  if (mode === 'redact' || findings.length === 0) return { ok: true, text: redacted, findings };
  return {
    ok: false,
    findings,
    message: `The text contains personal data or secrets (${describe(findings)}); this server's policy is to refuse it. Remove them and try again.`,
  };
}

/** `2 emails, 1 card` */
function describe(findings: readonly PiiFinding[]): string {
  const counts = new Map<PiiType, number>();
  for (const { type } of findings) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => `${count} ${PII_LABELS[type]}${count === 1 ? '' : 's'}`)
    .join(', ');
}
