import type { PiiFinding } from './pii-finding.js';

/** IBAN lengths by country, from the SWIFT IBAN registry. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = Object.fromEntries(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 ' +
    'FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 ' +
    'LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 ' +
    'SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/** A country code and check digits, then letters and digits, possibly in groups of four. */
const CANDIDATE = /(?<![A-Za-z0-9])([A-Z]{2})\d{2}(?: ?[A-Z0-9]){11,30}/g;

/** ISO 7064 MOD 97-10: the first four characters moved to the end, letters as 10 to 35, remainder 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    remainder = (value < 10 ? remainder * 10 + value : remainder * 100 + value) % 97;
  }
  return remainder === 1;
}

/**
 * IBANs, plain or in groups of four, upper case: the candidate is cut at its
 * country's length and must pass the mod-97 check, which random text passes
 * once in 97 times.
 */
export function findIbans(text: string): PiiFinding[] {
  const findings: PiiFinding[] = [];
  CANDIDATE.lastIndex = 0;
  for (let match = CANDIDATE.exec(text); match; match = CANDIDATE.exec(text)) {
    const end = cutAt(text, match.index, IBAN_LENGTHS[match[1]!] ?? 0);
    const iban = end === undefined ? '' : text.slice(match.index, end).replace(/ /g, '');
    if (end !== undefined && !/[A-Za-z0-9]/.test(text[end] ?? '') && ibanChecksumValid(iban)) {
      findings.push({ type: 'government_id', start: match.index, end });
      CANDIDATE.lastIndex = end;
    } else {
      // The greedy candidate may have swallowed the start of the next IBAN.
      CANDIDATE.lastIndex = match.index + 1;
    }
  }
  return findings;
}

/** Where the `length`-th letter or digit after `start` ends, skipping single spaces; undefined if the text stops first. */
function cutAt(text: string, start: number, length: number): number | undefined {
  if (length === 0) return undefined;
  let count = 0;
  for (let at = start; at < text.length; at++) {
    const char = text[at]!;
    if (char === ' ' && count > 0 && text[at + 1] !== ' ') continue;
    if (!/[A-Z0-9]/.test(char)) return undefined;
    if (++count === length) return at + 1;
  }
  return undefined;
}
