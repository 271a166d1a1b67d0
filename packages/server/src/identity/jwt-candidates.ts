import { createPolicyFetch, type NetworkPolicy } from '@agentd/net-policy';
import type { JWTPayload } from 'jose';
import type { JwtCandidate } from '../http/middleware/auth/jwt-authenticator.js';
import { tokenRefused } from '../http/middleware/auth/token-errors.js';
import type { TenantRepository } from '../tenants/tenant-repository.js';
import { claimAt } from './claim-mapping.js';
import type { IdentityProviderRepository } from './identity-provider-repository.js';

/** The platform-wide provider (AGENTD_OIDC_*): its tokens name their tenant in a claim. */
export interface PlatformProvider {
  issuer: string;
  audience: string;
  tenantClaim: string;
}

export interface JwtCandidateSources {
  providers: IdentityProviderRepository;
  tenants: TenantRepository;
  /** The network policy of a tenant's provider (its tools' policy), or the server-wide one. */
  policyFor: (tenantId: string) => Promise<NetworkPolicy>;
  basePolicy: NetworkPolicy;
  platform?: PlatformProvider | undefined;
}

/** One policed fetch per network policy, shared by every issuer under it. */
function networkOf(policy: NetworkPolicy, fetches: Map<string, ReturnType<typeof createPolicyFetch>>) {
  let fetch = fetches.get(policy.fingerprint);
  if (!fetch) {
    if (fetches.size >= 100) fetches.clear();
    fetch = createPolicyFetch({ policy, connectTimeoutMs: 5000 });
    fetches.set(policy.fingerprint, fetch);
  }
  return { fetch, cacheKey: policy.fingerprint };
}

/** How long the tenant a platform token's claim names is remembered (a renamed or deleted tenant is seen this late). */
const TENANT_CACHE_MS = 5000;

/**
 * The providers that trust an issuer: tenants' own, then the platform-wide
 * one. Nothing here reads the database on every request: the providers come
 * from the repository's cache, and the tenants platform tokens name are
 * remembered for a few seconds.
 */
export function jwtCandidates(sources: JwtCandidateSources): (issuer: string) => Promise<JwtCandidate[]> {
  const fetches = new Map<string, ReturnType<typeof createPolicyFetch>>();
  const tenantsByClaim = new Map<string, { tenant: { id: string; name: string }; until: number }>();
  const tenantOf = async (claims: JWTPayload, claim: string) => {
    const named = claimAt(claims, claim);
    const key = typeof named === 'string' ? named : '';
    const cached = tenantsByClaim.get(key);
    if (cached && cached.until > Date.now()) return cached.tenant;
    const tenant = await tenantNamedBy(claims, claim, sources.tenants);
    if (tenantsByClaim.size >= 10_000) tenantsByClaim.clear();
    tenantsByClaim.set(key, { tenant, until: Date.now() + TENANT_CACHE_MS });
    return tenant;
  };
  return async (issuer) => {
    const trusted = await sources.providers.trusting(issuer);
    const candidates: JwtCandidate[] = trusted.map(({ tenantId, tenantName, provider }) => ({
      issuer: provider.issuer,
      audience: provider.audience,
      mapping: provider,
      tenant: async () => ({ id: tenantId, name: tenantName }),
      tenantId,
      network: async () => networkOf(await sources.policyFor(tenantId), fetches),
    }));
    const platform = sources.platform;
    if (platform && platform.issuer === issuer) {
      candidates.push({
        issuer: platform.issuer,
        audience: platform.audience,
        mapping: {
          claims: { user: 'sub', roles: 'roles', groups: 'groups', scopes: 'scope', tenant: null },
          role_map: { admin: 'admin', member: 'member' },
          default_role: 'member',
        },
        tenant: (claims) => tenantOf(claims, platform.tenantClaim),
        network: async () => networkOf(sources.basePolicy, fetches),
      });
    }
    return candidates;
  };
}

async function tenantNamedBy(claims: JWTPayload, claim: string, tenants: TenantRepository) {
  const named = claimAt(claims, claim);
  const tenant =
    typeof named === 'string' && named !== ''
      ? ((await tenants.get(named)) ?? (await tenants.getByName(named)))
      : undefined;
  if (!tenant) {
    throw tokenRefused('tenant_mismatch', `The token's '${claim}' claim names no tenant of this server.`);
  }
  return { id: tenant.id, name: tenant.name };
}
