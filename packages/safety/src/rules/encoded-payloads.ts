import type { RuleFinding } from './rule-finding.js';

const BASE64 =
  /(?<![A-Za-z0-9+/_-])(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/_-])/g;
const HEX = /(?<![0-9A-Fa-f])(?:(?:0x)?[0-9A-Fa-f]{2}[\s:]?){12,}(?![0-9A-Fa-f])/g;

/**
 * Base64 or hex runs that decode to readable text, checked by `isInstruction`
 * (the injection markers and classifier signals). Hashes and binary data
 * decode to unreadable bytes and pass.
 */
export function findEncodedPayloads(
  text: string,
  isInstruction: (decoded: string) => string | null,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const check = (match: RegExpMatchArray, decoded: string | null, kind: string) => {
    if (decoded === null || match.index === undefined) return;
    const why = isInstruction(decoded);
    if (why)
      findings.push({
        category: 'encoded_payload',
        score: 0.9,
        note: `${kind} that decodes to an instruction (${why}): "${decoded.slice(0, 60)}"`,
        start: match.index,
        end: match.index + match[0].length,
        replacement: `[removed ${kind} payload]`,
      });
  };
  for (const match of text.matchAll(BASE64))
    check(match, readable(Buffer.from(match[0], 'base64')), 'base64');
  for (const match of text.matchAll(HEX)) {
    const digits = match[0].replace(/0x|[\s:]/g, '');
    if (digits.length % 2 === 0) check(match, readable(Buffer.from(digits, 'hex')), 'hex');
  }
  return findings;
}

/** The bytes as text when they are mostly printable UTF-8 with letters and spaces, else null. */
function readable(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  if (text.includes('\ufffd') || text.length < 8) return null;
  const printable = text.match(/[\p{L}\p{N}\p{P}\p{Zs}\n]/gu)?.length ?? 0;
  // Two letters, space, two letters: what /\p{L}{2,}\s+\p{L}{2,}/ finds, without retrying each letter of a long word.
  return printable / text.length > 0.9 && /\p{L}{2}\s+\p{L}{2}/u.test(text) ? text : null;
}
