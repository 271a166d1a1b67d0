import { NetworkPolicyError } from './network-policy-error.js';
import { type NetworkRule, normalizeHost, parseRules, ruleMatches } from './network-rules.js';
import { type IpAddress, parseAddress, specialRangeOf } from './special-ranges.js';

/** Where a refusal of a blocked range points whoever reads it: the setting that opens it, and the README section. */
export const ALLOW_HINT =
  "AGENTD_NET_ALLOW or the tenant's network policy can allow it: see README.md#network-policy-for-tools";

/** Allow and deny entries: host names, `*.domain`, IP addresses and CIDR ranges, each with an optional port. */
export interface NetworkRules {
  allow?: string | readonly string[];
  deny?: string | readonly string[];
}

export interface NetworkPolicyOptions {
  /** Server-wide rules (the server's typed configuration: AGENTD_NET_ALLOW and AGENTD_NET_DENY). */
  server?: NetworkRules;
  /** The tenant's own rules, added to the server's. */
  tenant?: NetworkRules;
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: PolicyDecision = { allowed: true };

/**
 * Decides where outbound requests (the web tools, tenants' HTTP, OpenAPI
 * and MCP tools) may connect. Only http: and https: URLs; no
 * connection to a loopback, private, link-local, CGNAT, unique-local,
 * multicast, unspecified or otherwise special-use address (IPv4-mapped,
 * NAT64 and 6to4 forms included) unless an allow rule names the host or
 * covers the address. Deny rules win over allow rules. The decision that
 * counts is made on the resolved address (see resolveChecked); checkUrl
 * catches what can be refused before resolving.
 */
export class NetworkPolicy {
  readonly #options: NetworkPolicyOptions;
  readonly #allow: NetworkRule[];
  readonly #deny: NetworkRule[];
  /** The same text for policies with the same rules: sessions and connection pools are shared by it. */
  readonly fingerprint: string;

  constructor(options: NetworkPolicyOptions = {}) {
    this.#options = options;
    this.#allow = [...parseRules(options.server?.allow), ...parseRules(options.tenant?.allow)];
    this.#deny = [...parseRules(options.server?.deny), ...parseRules(options.tenant?.deny)];
    const texts = (rules: NetworkRule[]) =>
      [...new Set(rules.map((rule) => rule.text.trim().toLowerCase()))].sort();
    this.fingerprint = JSON.stringify({ allow: texts(this.#allow), deny: texts(this.#deny) });
  }

  /** The same server-wide rules with one tenant's rules added. */
  forTenant(tenant: NetworkRules): NetworkPolicy {
    return new NetworkPolicy({ ...(this.#options.server ? { server: this.#options.server } : {}), tenant });
  }

  /** The checks that need no DNS: scheme, host-name deny rules and IP-literal hosts. */
  checkUrl(url: string | URL): PolicyDecision {
    const parsed = parseUrl(url);
    if (!parsed) return { allowed: false, reason: `'${String(url).slice(0, 200)}' is not a valid URL` };
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { allowed: false, reason: `only http: and https: URLs can be opened, not ${parsed.protocol}` };
    }
    const host = normalizeHost(parsed.hostname);
    if (host === '') return { allowed: false, reason: `'${parsed.href}' has no host` };
    const port = portOf(parsed);
    if (parseAddress(host)) return this.checkAddress({ host, address: host, port });
    const denied = this.#deny.find((rule) => ruleMatches(rule, { host, addresses: [], port }));
    if (denied)
      return { allowed: false, reason: `${host} is denied by the network policy (rule '${denied.text}')` };
    return ALLOWED;
  }

  /** Checks one resolved address of `host`, for a connection to `port`. */
  checkAddress(target: { host: string; address: string; port: number }): PolicyDecision {
    const address = parseAddress(target.address);
    if (!address) return { allowed: false, reason: `'${target.address}' is not an IP address` };
    const host = normalizeHost(target.host);
    const where = { host, addresses: [address] as IpAddress[], port: target.port };
    const shown = host === normalizeHost(target.address) ? target.address : `${host} (${target.address})`;
    const denied = this.#deny.find((rule) => ruleMatches(rule, where));
    if (denied)
      return { allowed: false, reason: `${shown} is denied by the network policy (rule '${denied.text}')` };
    const special = specialRangeOf(address);
    if (special === undefined) return ALLOWED;
    if (this.#allow.some((rule) => ruleMatches(rule, where))) return ALLOWED;
    return {
      allowed: false,
      reason: `${shown} is a ${special} address, which the network policy blocks (${ALLOW_HINT})`,
    };
  }

  /** checkUrl, throwing a NetworkPolicyError when the URL is refused. */
  assertUrl(url: string | URL): URL {
    const parsed = parseUrl(url);
    if (!parsed) {
      throw new NetworkPolicyError('invalid_url', `'${String(url).slice(0, 200)}' is not a valid URL.`);
    }
    const decision = this.checkUrl(parsed);
    if (!decision.allowed) throw NetworkPolicyError.blocked(decision.reason, parsed.href);
    return parsed;
  }
}

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function parseUrl(url: string | URL): URL | undefined {
  if (url instanceof URL) return url;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
