import { PII_LABELS, type PiiFinding } from './pii-finding.js';
import { scanPii } from './scan-pii.js';

/** The text with each finding replaced by `[redacted email]`, `[redacted card]`, …; findings are offsets in the original text. */
export function redactPii(text: string): { text: string; findings: PiiFinding[] } {
  const findings = scanPii(text);
  let redacted = '';
  let at = 0;
  for (const finding of findings) {
    redacted += `${text.slice(at, finding.start)}[redacted ${PII_LABELS[finding.type]}]`;
    at = finding.end;
  }
  return { text: redacted + text.slice(at), findings };
}
