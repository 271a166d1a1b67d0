import {
  Agentd,
  AgentdAPIError,
  APIConnectionError,
  AuthenticationError,
  PermissionDeniedError,
} from '@agentd/sdk';
import { readLogin } from './config-file.js';

export interface ConnectionFlags {
  url?: string | undefined;
  key?: string | undefined;
}

export const DEFAULT_URL = 'http://127.0.0.1:8787';

/** A usage problem (exit 2), as opposed to a failure talking to the server (exit 1). */
export class UsageError extends Error {}

/**
 * The server and key: flags first, then AGENTD_URL/AGENTD_API_KEY, then what
 * `agentd login` stored; the URL defaults to the local server.
 */
export function resolveConnection(flags: ConnectionFlags, env: Record<string, string | undefined>) {
  const stored = readLogin(env);
  const url = flags.url ?? env.AGENTD_URL ?? stored?.url ?? DEFAULT_URL;
  const key = flags.key ?? env.AGENTD_API_KEY ?? stored?.key;
  if (!key) throw new UsageError('no API key: pass --key, set AGENTD_API_KEY, or run `agentd login` first');
  return { url, key };
}

export function connect(flags: ConnectionFlags, env: Record<string, string | undefined>): Agentd {
  const { url, key } = resolveConnection(flags, env);
  // One quick retry: a CLI should say "unreachable" in a second or two, not after 8 s of backoff.
  return new Agentd({ baseURL: url, apiKey: key, retry: { maxRetries: 1, initialDelayMs: 200 } });
}

/** A one-line explanation of a failure, for stderr. */
export function describeError(error: unknown, url?: string): string {
  if (error instanceof APIConnectionError)
    return `cannot reach the agentd server${url ? ` at ${url}` : ''} (${error.message}); is it running? (--url, AGENTD_URL)`;
  if (error instanceof AuthenticationError)
    return `the server refused the API key (${error.message}); check --key, AGENTD_API_KEY or \`agentd login\``;
  if (error instanceof PermissionDeniedError) return `this key may not do that (${error.message})`;
  if (error instanceof AgentdAPIError)
    return `${error.message} (${error.status} ${error.code}${error.param ? `, ${error.param}` : ''})`;
  return (error as Error).message ?? String(error);
}
