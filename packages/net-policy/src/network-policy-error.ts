import { AgentdError, type ErrorCategory } from '@agentd/spec';

/**
 * The one error class of the network policy, an AgentdError whose category
 * follows from its code: the caller's URL is malformed or refused by the
 * policy, or the remote side or its DNS failed.
 */

export type NetworkPolicyErrorCode = 'invalid_url' | 'blocked_by_policy' | 'network_error';

const CATEGORY: Record<NetworkPolicyErrorCode, ErrorCategory> = {
  invalid_url: 'invalid_request',
  blocked_by_policy: 'permission',
  network_error: 'upstream',
};

export class NetworkPolicyError extends AgentdError {
  declare readonly code: NetworkPolicyErrorCode;
  /** Why the policy refused, without the "Blocked by the network policy" prefix (blocked_by_policy only). */
  readonly reason: string | undefined;

  constructor(
    code: NetworkPolicyErrorCode,
    message: string,
    options: { cause?: unknown; reason?: string } = {},
  ) {
    super(CATEGORY[code], code, message, { cause: options.cause });
    this.name = 'NetworkPolicyError';
    this.reason = options.reason;
  }

  /** A refusal; `reason` names the address or host and the range or rule ("… is a loopback address …"). */
  static blocked(reason: string, url?: string): NetworkPolicyError {
    const where = url === undefined ? '' : `${url}: `;
    return new NetworkPolicyError('blocked_by_policy', `Blocked by the network policy: ${where}${reason}.`, {
      reason,
    });
  }
}

/** Finds a NetworkPolicyError in an error or its causes (undici wraps it in "fetch failed"). */
export function findNetworkPolicyError(error: unknown): NetworkPolicyError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof NetworkPolicyError) return current;
    current = current.cause;
  }
  return undefined;
}
