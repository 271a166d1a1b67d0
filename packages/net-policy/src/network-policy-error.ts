/**
 * The one error class of the network policy. `code` is stable and machine
 * readable; `category` says whose fault it is: the caller's URL (`user`) or
 * the remote side or its DNS (`third_party`).
 */

export type NetworkPolicyErrorCode = 'invalid_url' | 'blocked_by_policy' | 'network_error';

export type NetworkPolicyErrorCategory = 'user' | 'third_party';

const CATEGORY: Record<NetworkPolicyErrorCode, NetworkPolicyErrorCategory> = {
  invalid_url: 'user',
  blocked_by_policy: 'user',
  network_error: 'third_party',
};

export class NetworkPolicyError extends Error {
  readonly code: NetworkPolicyErrorCode;
  readonly category: NetworkPolicyErrorCategory;
  /** Why the policy refused, without the "Blocked by the network policy" prefix (blocked_by_policy only). */
  readonly reason: string | undefined;

  constructor(
    code: NetworkPolicyErrorCode,
    message: string,
    options: { cause?: unknown; reason?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetworkPolicyError';
    this.code = code;
    this.category = CATEGORY[code];
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
