import { Agent, buildConnector } from 'undici';
import { type Resolver, resolveChecked, systemResolver } from './checked-lookup.js';
import type { NetworkPolicy } from './network-policy.js';
import { normalizeHost } from './network-rules.js';
import { parseAddress } from './special-ranges.js';

/** What the agent reports for each connection it opens (for audit logs and tests). */
export interface ConnectionEvent {
  host: string;
  address: string;
  port: number;
}

export interface PinnedAgentOptions {
  policy: NetworkPolicy;
  resolver?: Resolver;
  connectTimeoutMs?: number;
  onConnect?: (event: ConnectionEvent) => void;
}

/**
 * An undici Agent whose every connection is resolved by us, checked against
 * the policy (with the port), and opened to the checked address itself. DNS
 * is never asked twice, so a rebinding answer cannot slip in between the
 * check and the connection. TLS still verifies the certificate against the
 * host name.
 */
export function createPinnedAgent(options: PinnedAgentOptions): Agent {
  const resolver = options.resolver ?? systemResolver;
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  return new Agent({
    connect: (connectOptions, callback) => {
      const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
      resolveChecked(options.policy, connectOptions.hostname, port, resolver).then(
        (addresses) => {
          const { address } = addresses[0]!;
          options.onConnect?.({ host: connectOptions.hostname, address, port });
          const host = normalizeHost(connectOptions.hostname);
          // TLS checks the certificate against the host name; an IP-literal host sends no SNI.
          const servername = connectOptions.servername ?? (parseAddress(host) ? undefined : host);
          base(
            {
              ...connectOptions,
              hostname: address,
              ...(servername === undefined ? {} : { servername }),
            },
            callback,
          );
        },
        (error: Error) => callback(error, null),
      );
    },
  });
}
