import {
  createPolicyFetch,
  findNetworkPolicyError,
  type NetworkPolicy,
  type Resolver,
  resolveChecked,
} from '@agentd/net-policy';
import { AdapterError } from './adapter-error.js';

/** How an adapter reaches the network. */
export interface NetworkOptions {
  /**
   * Where the tool may connect: the server's policy for tenants' tools.
   * Omitted, it may connect anywhere: only for manifests the operator wrote.
   */
  networkPolicy?: NetworkPolicy;
  /** The DNS the policy's checks use; tests make names resolve anywhere with it. */
  resolver?: Resolver;
  /** Replaces the HTTP client when there is no policy (a policy brings its own). */
  fetch?: typeof fetch;
}

/** One policy fetch, and so one connection pool, per policy. */
const shared = new WeakMap<NetworkPolicy, typeof fetch>();

/** The fetch an adapter sends with: the policy's when there is one, else the given or global fetch. */
export function networkFetch(options: NetworkOptions): typeof fetch {
  const { networkPolicy: policy, resolver } = options;
  if (!policy) return options.fetch ?? fetch;
  if (options.fetch) {
    throw new AdapterError(
      'not_configured',
      'an adapter takes a network policy or its own fetch, not both: the policy brings its own HTTP client',
    );
  }
  if (resolver) return createPolicyFetch({ policy, resolver });
  let policed = shared.get(policy);
  if (!policed) {
    policed = createPolicyFetch({ policy });
    shared.set(policy, policed);
  }
  return policed;
}

/**
 * Checks a tool's URL ahead of any call (at registration): the URL itself,
 * then each address its host resolves to. A host that does not resolve now
 * passes; every request is checked again when it is made.
 */
export async function assertUrlAllowed(url: string, options: NetworkOptions, label: string): Promise<void> {
  const policy = options.networkPolicy;
  if (!policy) return;
  const decision = policy.checkUrl(url);
  if (!decision.allowed) throw blockedError(decision.reason, label);
  const parsed = new URL(url);
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  try {
    await resolveChecked(policy, parsed.hostname, port, options.resolver);
  } catch (error) {
    const refusal = findNetworkPolicyError(error);
    if (refusal?.code === 'blocked_by_policy') throw blockedError(refusal.reason ?? refusal.message, label);
  }
}

/** A refusal for the model and the API: the address and the range or rule, never the URL (secrets). */
export function blockedError(reason: string, label: string): AdapterError {
  return new AdapterError('blocked_by_policy', `the network policy refused ${label}: ${reason}`);
}

/** The refusal inside an error (undici and the MCP SDK wrap it), if it is one. */
export function policyRefusal(error: unknown, label: string): AdapterError | undefined {
  const refusal = findNetworkPolicyError(error);
  if (refusal?.code !== 'blocked_by_policy') return undefined;
  return blockedError(refusal.reason ?? refusal.message, label);
}
