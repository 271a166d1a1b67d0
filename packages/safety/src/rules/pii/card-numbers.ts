import { findAll, type PiiFinding } from './pii-finding.js';

/** 16 or 19 digits in groups of four, Amex's and Diners' 4-6-5 and 4-6-4, or 13 to 19 digits in a row. */
const CARD =
  /(?<![\w-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{4,5}|\d{13,19})(?![\w]|-\d)/g;

/** The Luhn checksum every payment card number satisfies (and 9 in 10 random numbers do not). */
export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Payment card numbers: 13 to 19 digits, plain or grouped by spaces or
 * dashes, that pass the Luhn check and start like a card network's numbers
 * (2 to 6: Mastercard, Visa, Amex, Diners, Discover, JCB, UnionPay).
 */
export function findCards(text: string): PiiFinding[] {
  return findAll(text, CARD, 'card', (match) => {
    const number = match[0].replace(/\D/g, '');
    return /^[2-6]/.test(number) && !/^(\d)\1+$/.test(number) && luhnValid(number);
  });
}
