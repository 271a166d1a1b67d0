import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import type { NetworkPolicy } from './network-policy.js';
import { NetworkPolicyError } from './network-policy-error.js';
import { normalizeHost } from './network-rules.js';
import { parseAddress } from './special-ranges.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses. Injectable so tests can make `evil.test` resolve anywhere. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/**
 * Resolves `host` once and checks every address against the policy. A host
 * with any blocked address is refused as a whole: a name that mixes public
 * and private answers is a rebinding attempt, not an accident. Callers
 * connect to the returned addresses only, so the address that was checked is
 * the address that is used.
 */
export async function resolveChecked(
  policy: NetworkPolicy,
  hostname: string,
  port: number,
  resolver: Resolver = systemResolver,
): Promise<ResolvedAddress[]> {
  const host = normalizeHost(hostname);
  const literal = parseAddress(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal.kind() === 'ipv4' ? 4 : 6 }];
  } else {
    try {
      addresses = await resolver(host);
    } catch (error) {
      throw new NetworkPolicyError(
        'network_error',
        `Could not resolve ${host}: ${(error as Error).message}.`,
        {
          cause: error,
        },
      );
    }
    if (addresses.length === 0) throw new NetworkPolicyError('network_error', `${host} has no addresses.`);
  }
  for (const { address } of addresses) {
    const decision = policy.checkAddress({ host, address, port });
    if (!decision.allowed) throw NetworkPolicyError.blocked(decision.reason);
  }
  return addresses;
}

/**
 * A `lookup` for net.connect, tls.connect or undici's `connect: { lookup }`:
 * it answers only with checked addresses. It cannot see the port, so allow
 * rules that name a port never match through it; createPinnedAgent can.
 */
export function createCheckedLookup(
  policy: NetworkPolicy,
  options: { resolver?: Resolver; port?: number } = {},
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const all = typeof lookupOptions === 'object' && lookupOptions.all === true;
    resolveChecked(policy, hostname, options.port ?? 0, options.resolver).then(
      (addresses) => {
        if (all) {
          callback(null, addresses);
          return;
        }
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
