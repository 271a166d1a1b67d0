import { fetch as undiciFetch } from 'undici';
import type { Resolver } from './checked-lookup.js';
import type { NetworkPolicy } from './network-policy.js';
import { findNetworkPolicyError, NetworkPolicyError } from './network-policy-error.js';
import { type ConnectionEvent, createPinnedAgent } from './pinned-agent.js';

export interface PolicyFetchOptions {
  policy: NetworkPolicy;
  /** Injectable DNS, so tests can make a name resolve anywhere. */
  resolver?: Resolver;
  connectTimeoutMs?: number;
  onConnect?: (event: ConnectionEvent) => void;
}

/**
 * A `fetch` that goes only where the policy allows. The URL is checked before
 * anything is sent, and every connection, a redirect hop's included, is
 * opened by a pinned agent that resolves the host, checks each address and
 * connects to the checked one. A refusal rejects with the NetworkPolicyError
 * itself rather than undici's bare "fetch failed". It takes a URL (string or
 * URL), not a Request object.
 */
export function createPolicyFetch(options: PolicyFetchOptions): typeof fetch {
  const dispatcher = createPinnedAgent(options);
  const policed = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = urlOf(input);
    const decision = options.policy.checkUrl(url);
    if (!decision.allowed) throw NetworkPolicyError.blocked(decision.reason);
    try {
      const response = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher,
      });
      return response as unknown as Response;
    } catch (error) {
      const blocked = init?.signal?.aborted ? undefined : findNetworkPolicyError(error);
      throw blocked ?? error;
    }
  };
  return policed as typeof fetch;
}

function urlOf(input: unknown): URL {
  if (input instanceof URL) return input;
  if (typeof input !== 'string') {
    throw new TypeError('a policy fetch takes a URL string or a URL object, not a Request');
  }
  try {
    return new URL(input);
  } catch (error) {
    throw new NetworkPolicyError('invalid_url', `'${input.slice(0, 200)}' is not a valid URL.`, {
      cause: error,
    });
  }
}
