import { findAll, type PiiFinding } from './pii-finding.js';

/** `+` and a country code, then 7 to 14 more digits, grouped by spaces, dots, dashes or brackets. */
const INTERNATIONAL = /(?<![\w+])\+\d(?:[ .\-()]{0,2}\d){6,14}(?![\w]|[ .-]\d)/g;

/** North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1 415 555 2671. */
const NANP =
  /(?<![\w#.+-]|\d[ .-])(?:1[ .-])?(?:\((\d{3})\) ?|(\d{3})[ .-])(\d{3})[ .-]\d{4}(?![\w]|[ .-]\d)/g;

/**
 * National numbers with a trunk 0 (never followed by another 0, which starts
 * international numbers), in groups: 020 7946 0958, 07700 900123,
 * 01 23 45 67 89, 030 12345678, 06-12345678.
 */
const TRUNK_ZERO = /(?<![\w#.+/-]|\d[ ./-])0[1-9]\d{0,3}(?:[ .\-/]\d{2,8}){1,4}(?![\w]|[ .\-/]\d)/g;

const digits = (text: string) => text.replace(/\D/g, '').length;

/**
 * Phone numbers in international form (`+44 20 7946 0958`, 8 to 15 digits)
 * and the common national forms above. Digits without any separator are
 * left alone unless they start with `+`: a bare 10-digit number is as often
 * an order or account number. The national forms must start a run of digit
 * groups, not sit inside one (an account number, an IBAN). Dates
 * (2024-01-15, 01.02.2024), versions and short numbers do not have these
 * shapes.
 */
export function findPhones(text: string): PiiFinding[] {
  return [
    ...findAll(text, INTERNATIONAL, 'phone', (match) => digits(match[0]) >= 8),
    // Area codes and exchanges start with 2 to 9.
    ...findAll(
      text,
      NANP,
      'phone',
      (match) => /^[2-9]/.test(match[1] ?? match[2]!) && /^[2-9]/.test(match[3]!),
    ),
    ...findAll(text, TRUNK_ZERO, 'phone', (match) => {
      const count = digits(match[0]);
      return count >= 9 && count <= 12;
    }),
  ];
}
