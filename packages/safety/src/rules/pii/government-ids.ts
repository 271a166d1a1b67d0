import { findIbans } from './iban.js';
import { findAll, type PiiFinding } from './pii-finding.js';

/** US Social Security numbers, written with dashes or spaces: 123-45-6789. */
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w]|-\d)/g;

/**
 * UK National Insurance numbers: two letters, six digits, A to D, optionally
 * spaced (AB 12 34 56 C). The letters D, F, I, Q, U and V never appear, nor
 * O second.
 */
const NI_NUMBER = /(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)/gi;
const UNALLOCATED_NI_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * Government identifiers: US SSNs (not those with area 000, 666 or 900-999,
 * group 00 or serial 0000, which are never issued), UK National Insurance
 * numbers, and IBANs (bank accounts, mod-97 checked).
 */
export function findGovernmentIds(text: string): PiiFinding[] {
  return [
    ...findAll(text, SSN, 'government_id', (match) => {
      const [, area, , group, serial] = match;
      return !/^(?:000|666|9\d\d)$/.test(area!) && group !== '00' && serial !== '0000';
    }),
    ...findAll(
      text,
      NI_NUMBER,
      'government_id',
      (match) => !UNALLOCATED_NI_PREFIXES.has(match[1]!.toUpperCase()),
    ),
    ...findIbans(text),
  ];
}
