export {
  createCheckedLookup,
  type ResolvedAddress,
  type Resolver,
  resolveChecked,
  systemResolver,
} from './checked-lookup.js';
export {
  ALLOW_HINT,
  NetworkPolicy,
  type NetworkPolicyOptions,
  type NetworkRules,
  type PolicyDecision,
} from './network-policy.js';
export {
  findNetworkPolicyError,
  NetworkPolicyError,
  type NetworkPolicyErrorCode,
} from './network-policy-error.js';
export { parseRules as parseNetworkRules } from './network-rules.js';
export { type ConnectionEvent, createPinnedAgent, type PinnedAgentOptions } from './pinned-agent.js';
export { createPolicyFetch, type PolicyFetchOptions } from './policy-fetch.js';
export { parseAddress, specialRangeOf } from './special-ranges.js';
