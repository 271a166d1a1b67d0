import { NetworkPolicy } from '@agentd/net-policy';
import type { Config } from '../config/schema.js';

/**
 * The server-wide network policy, from the typed configuration
 * (AGENTD_NET_ALLOW and AGENTD_NET_DENY, each rule checked when the
 * configuration was read): where tenants' tools and the web tools may connect.
 */
export function serverNetworkPolicy(
  config: Pick<Config, 'AGENTD_NET_ALLOW' | 'AGENTD_NET_DENY'>,
): NetworkPolicy {
  return new NetworkPolicy({ server: { allow: config.AGENTD_NET_ALLOW, deny: config.AGENTD_NET_DENY } });
}
