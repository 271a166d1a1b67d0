import { findApiKeys } from './api-keys.js';
import { findCards } from './card-numbers.js';
import { findEmails } from './email-addresses.js';
import { findGovernmentIds } from './government-ids.js';
import { findPhones } from './phone-numbers.js';
import type { PiiFinding, PiiType } from './pii-finding.js';

/** When findings overlap, the more specific kind wins: a card number is not also a phone number. */
const PRECEDENCE: readonly PiiType[] = ['api_key', 'email', 'card', 'government_id', 'phone'];

/**
 * Finds personal data and secrets in a text: email addresses, phone
 * numbers, payment card numbers (Luhn-checked), government ids (US SSN, UK
 * National Insurance number, IBAN) and API keys. Pattern-based: it favours
 * few false alarms (dates, versions, order numbers, UUIDs and hashes pass)
 * over catching every unusual format. Findings do not overlap and come in
 * text order.
 */
export function scanPii(text: string): PiiFinding[] {
  const candidates = [
    ...findApiKeys(text),
    ...findEmails(text),
    ...findCards(text),
    ...findGovernmentIds(text),
    ...findPhones(text),
  ].sort(
    (a, b) =>
      PRECEDENCE.indexOf(a.type) - PRECEDENCE.indexOf(b.type) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: PiiFinding[] = [];
  for (const finding of candidates)
    if (!kept.some((other) => finding.start < other.end && other.start < finding.end)) kept.push(finding);
  return kept.sort((a, b) => a.start - b.start);
}
