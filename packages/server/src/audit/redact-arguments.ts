import { scanPii } from '@agentd/safety';

/** Keys whose values are secrets whatever they hold (compared lower-case, without - and _). */
const SECRET_KEYS = new Set([
  'authorization',
  'apikey',
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'privatekey',
  'cookie',
  'setcookie',
]);

const REDACTED = '[redacted]';

/**
 * Tool-call arguments as the audit log keeps them: the parsed JSON with the
 * values of secret-named keys replaced, and API keys, tokens and card
 * numbers inside any string replaced (the safety rules' detector, the one
 * that redacts them in runs). Arguments that are not JSON are kept as a
 * redacted string.
 */
export function redactArguments(json: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return redactText(json);
  }
  return redactValue(parsed);
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, isSecretKey(key) ? REDACTED : redactValue(inner)]),
    );
  }
  return value;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/** The text with each API key, token and card number replaced by `[redacted api key]`, `[redacted card]`. */
export function redactText(text: string): string {
  let redacted = '';
  let at = 0;
  for (const finding of scanPii(text)) {
    if (finding.type !== 'api_key' && finding.type !== 'card') continue;
    redacted += `${text.slice(at, finding.start)}[redacted ${finding.type === 'card' ? 'card' : 'api key'}]`;
    at = finding.end;
  }
  return redacted + text.slice(at);
}
