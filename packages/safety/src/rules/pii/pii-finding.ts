export type PiiType = 'email' | 'phone' | 'card' | 'government_id' | 'api_key';

/** Personal data found in a text: its kind and character offsets (text.slice(start, end)). */
export interface PiiFinding {
  type: PiiType;
  start: number;
  end: number;
}

/** How each kind is named in redactions and messages. */
export const PII_LABELS: Readonly<Record<PiiType, string>> = {
  email: 'email',
  phone: 'phone',
  card: 'card',
  government_id: 'government id',
  api_key: 'api key',
};

/** Runs a global regex over a text, keeping the matches that `accept` approves, as findings of one kind. */
export function findAll(
  text: string,
  pattern: RegExp,
  type: PiiType,
  accept: (match: RegExpExecArray) => boolean = () => true,
): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const match of text.matchAll(pattern))
    if (accept(match)) findings.push({ type, start: match.index, end: match.index + match[0].length });
  return findings;
}
