import ipaddr from 'ipaddr.js';
import { effectiveAddresses, type IpAddress, inRange, parseAddress } from './special-ranges.js';

/**
 * One allow or deny entry: a host name (`example.com`, or `*.example.com` for
 * its subdomains), an IP address or a CIDR range, optionally with a port
 * (`localhost:8080`, `10.0.0.5:443`, `[::1]:8080`).
 */
export type NetworkRule =
  | { kind: 'host'; text: string; host: string; subdomains: boolean; port?: number }
  | { kind: 'range'; text: string; range: [IpAddress, number]; port?: number };

/** Where a request goes: the URL's host name, the addresses it resolved to and the port. */
export interface NetworkTarget {
  host: string;
  addresses: readonly IpAddress[];
  port: number;
}

/** Reads a comma- or whitespace-separated list (as in AGENTD_NET_ALLOW) or an array of entries. */
export function parseRules(list: string | readonly string[] | undefined): NetworkRule[] {
  if (list === undefined) return [];
  const entries = typeof list === 'string' ? list.split(/[\s,]+/) : list;
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseRule);
}

export function parseRule(text: string): NetworkRule {
  const entry = text.trim().toLowerCase();
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) throw new Error(`network rule '${text}' is not a valid CIDR range`);
    return { kind: 'range', text, range: ipaddr.parseCIDR(entry) };
  }
  const { host, port } = splitPort(entry, text);
  const address = parseAddress(host);
  if (address) {
    const range: [IpAddress, number] = [address, address.kind() === 'ipv4' ? 32 : 128];
    return withPort({ kind: 'range', text, range }, port);
  }
  const subdomains = host.startsWith('*.');
  const name = normalizeHost(subdomains ? host.slice(2) : host);
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) {
    throw new Error(`network rule '${text}' is not a host name, an IP address or a CIDR range`);
  }
  return withPort({ kind: 'host', text, host: name, subdomains }, port);
}

export function ruleMatches(rule: NetworkRule, target: NetworkTarget): boolean {
  if (rule.port !== undefined && rule.port !== target.port) return false;
  if (rule.kind === 'host') {
    const host = normalizeHost(target.host);
    return rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host;
  }
  return target.addresses.some((address) =>
    effectiveAddresses(address).some((candidate) => inRange(candidate, rule.range)),
  );
}

/** Lower case, without IPv6 brackets or a trailing dot. */
export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

function splitPort(entry: string, text: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: toPort(bracketed[2], text) };
  const colons = entry.split(':').length - 1;
  // More than one colon without brackets: a bare IPv6 address, no port.
  if (colons !== 1) return { host: entry };
  const [host, port] = entry.split(':') as [string, string];
  return { host, port: toPort(port, text) };
}

function toPort(port: string | undefined, text: string): number | undefined {
  if (port === undefined) return undefined;
  const value = Number(port);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`network rule '${text}' has an invalid port`);
  }
  return value;
}

function withPort<T extends NetworkRule>(rule: T, port: number | undefined): T {
  return port === undefined ? rule : { ...rule, port };
}
