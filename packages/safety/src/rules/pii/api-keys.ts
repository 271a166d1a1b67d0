import { findAll, type PiiFinding } from './pii-finding.js';

/** Keys with a known prefix. Those after `sk-` must contain a digit, so that kebab-case words are not taken for keys. */
const PREFIXES = [
  'sk-(?:proj-|agentd-|ant-|svcacct-|admin-)?(?=[A-Za-z_-]*\\d)[A-Za-z0-9_-]{20,}', // OpenAI, agentd, Anthropic
  '[rs]k_(?:live|test)_[A-Za-z0-9]{16,}', // Stripe
  'gh[pousr]_[A-Za-z0-9]{30,}', // GitHub tokens
  'github_pat_[A-Za-z0-9_]{40,}',
  'glpat-[A-Za-z0-9_-]{20,}', // GitLab
  'xox[abposr]-[A-Za-z0-9-]{10,}', // Slack
  '(?:AKIA|ASIA)[A-Z0-9]{16}', // AWS access key ids
  'AIza[A-Za-z0-9_-]{35}', // Google
  'hf_[A-Za-z0-9]{30,}', // Hugging Face
  'npm_[A-Za-z0-9]{36}',
  'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}', // JSON Web Tokens
];
const PREFIXED = new RegExp(`(?<![A-Za-z0-9_-])(?:${PREFIXES.join('|')})(?![A-Za-z0-9_-])`, 'g');

/** A run of base64 or base64url characters long enough to be a secret. */
const TOKEN = /(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{32,}(?![A-Za-z0-9_+/=-])/g;

/**
 * API keys and other secrets: the known prefixes above, and long tokens that
 * look random. Random means high character entropy and a character kind
 * (lower, upper, digit, other) that changes often: in random base62 text
 * about 6 neighbours in 10 differ, in camelCase names and paths about 3.
 * Tokens must mix both cases and digits, or, in lower case, hold digits and
 * letters beyond a-f without separators, which rules out hex hashes and UUIDs.
 */
export function findApiKeys(text: string): PiiFinding[] {
  return [
    ...findAll(text, PREFIXED, 'api_key'),
    ...findAll(text, TOKEN, 'api_key', (match) => looksRandom(match[0])),
  ];
}

function looksRandom(token: string): boolean {
  if (!/\d/.test(token) || entropy(token) < 4) return false;
  if (/[a-z]/.test(token) && /[A-Z]/.test(token)) return kindChanges(token) >= 0.4;
  // Lower case and digits alone change kind less often: 4 neighbours in 10.
  if (/^[a-z0-9]+$/.test(token) && /[g-z]/.test(token)) return kindChanges(token) >= 0.3;
  return false;
}

/** The share of neighbouring characters of different kinds (lower, upper, digit, other). */
function kindChanges(token: string): number {
  let changes = 0;
  for (let i = 1; i < token.length; i++)
    if (kind(token.charCodeAt(i)) !== kind(token.charCodeAt(i - 1))) changes++;
  return changes / (token.length - 1);
}

/** Shannon entropy of the token's characters, in bits per character. */
function entropy(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** 0 lower case, 1 upper case, 2 digit, 3 other (by character code: this runs on every character of a token). */
function kind(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return 0;
  if (code >= 0x41 && code <= 0x5a) return 1;
  return code >= 0x30 && code <= 0x39 ? 2 : 3;
}
