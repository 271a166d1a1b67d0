import { createHash } from 'node:crypto';
import { randomToken } from '../ids.js';

export const API_KEY_PREFIX = 'sk-agentd-';

/** A new API key secret: a fixed prefix and 256 random bits. */
export function newApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomToken(32)}`;
}

/**
 * Keys are stored as SHA-256 digests. Generated keys carry 256 bits of
 * entropy, so a slow password hash would add latency to every request and no
 * security; operator-chosen AGENTD_ADMIN_KEY values must be at least 16 characters.
 */
export function hashApiKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** What may be shown of a key after creation: its start and its last four characters. */
export function redactApiKey(value: string): string {
  const head = value.startsWith(API_KEY_PREFIX) ? API_KEY_PREFIX.length + 2 : 3;
  return `${value.slice(0, head)}…${value.slice(-4)}`;
}
