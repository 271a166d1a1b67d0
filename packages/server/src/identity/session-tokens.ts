import { randomUUID } from 'node:crypto';
import type { Principal, Role } from '@agentd/spec';
import { isKnownScope, ROLE_RANK } from '@agentd/spec/wire';
import { ClaimValidationError, PublicProtocol } from 'paseto';
import { type PublicKey, SignFactory, VerifyFactory } from 'paseto/v4/public';
import { refusedIn, type TokenRefusedError, tokenRefused } from '../http/middleware/auth/token-errors.js';
import type { TenantRepository } from '../tenants/tenant-repository.js';
import type { SigningKeyStore } from './signing-key-store.js';

const v4 = new PublicProtocol(SignFactory, VerifyFactory);

/** The issuer and audience of the tokens agentd signs. */
export const SESSION_ISSUER = 'agentd';

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export interface SessionTokensOptions {
  keys: SigningKeyStore;
  /** Public keys of other signers agentd trusts (AGENTD_PASETO_PUBLIC_KEYS). */
  trusted: () => Promise<PublicKey[]>;
  tenants: TenantRepository;
  clockSkewSeconds: number;
  /** Whether an API key still exists: a token agentd issued from a key dies with it. */
  keyIsLive?: (tenantId: string, keyId: string) => Promise<boolean>;
}

/**
 * PASETO v4.public tokens: the short-lived session tokens agentd issues (for
 * the web UI), and tokens other signers issue with a configured public key.
 * Claims: `sub`, `tenant` (a tenant id), `role`, and optionally `user`,
 * `groups` and `scope` (space-separated scope names), `exp` required.
 */
export class SessionTokens {
  /** Tenants that tokens named lately, so a request does not look its tenant up each time. */
  private readonly tenants = new Map<string, { id: string; until: number }>();

  constructor(private readonly options: SessionTokensOptions) {}

  async issue(principal: Principal, ttlSeconds: number): Promise<IssuedToken> {
    const { secretKey } = await this.options.keys.get();
    const now = Date.now();
    const expiresAt = Math.floor(now / 1000) + ttlSeconds;
    const token = await v4.Sign(
      secretKey,
      {
        iss: SESSION_ISSUER,
        aud: SESSION_ISSUER,
        sub: principal.subject,
        jti: randomUUID(),
        tenant: principal.tenantId,
        role: principal.role,
        via: principal.method,
        ...(principal.userId ? { user: principal.userId } : {}),
        ...(principal.groups ? { groups: [...principal.groups] } : {}),
        ...(principal.scopes ? { scope: principal.scopes.join(' ') } : {}),
        exp: new Date(expiresAt * 1000).toISOString(),
      },
      { now: new Date(now) },
    );
    return { token, expiresAt };
  }

  /** The principal a v4.public token makes, or a 401 naming why it is refused. */
  async verify(token: string): Promise<Principal> {
    const own = await this.options.keys.get();
    const keys = [own.publicKey, ...(await this.options.trusted())];
    let claims: Record<string, unknown> | undefined;
    let ownKey = false;
    for (const [index, key] of keys.entries()) {
      try {
        const result = await v4.Verify(key, token, {
          clockTolerance: this.options.clockSkewSeconds,
          ...(index === 0 ? { issuer: SESSION_ISSUER, audience: SESSION_ISSUER } : {}),
        });
        claims = result.claims as Record<string, unknown>;
        ownKey = index === 0;
        break;
      } catch (error) {
        // Claims are checked after the signature verified: the token's tenant claim can be believed.
        if (error instanceof ClaimValidationError) throw await this.inItsTenant(claimRefusal(error), token);
        if ((error as { code?: string }).code !== 'ERR_PASETO_INVALID_TOKEN') throw error;
        if ((error as Error).message !== 'Token signature verification failed') {
          throw tokenRefused('invalid_token', 'The token is not a well-formed v4.public PASETO.');
        }
      }
    }
    if (!claims) {
      throw tokenRefused(
        'invalid_signature',
        "The token's signature does not verify with any key agentd trusts.",
      );
    }
    return this.principalOf(claims, ownKey);
  }

  private async principalOf(claims: Record<string, unknown>, own: boolean): Promise<Principal> {
    const { sub, tenant: tenantId, role, user, groups, scope } = claims;
    if (typeof sub !== 'string' || typeof tenantId !== 'string') {
      throw tokenRefused('invalid_token', "The token needs 'sub' and 'tenant' claims.");
    }
    if (typeof role !== 'string' || !(role in ROLE_RANK)) {
      throw tokenRefused('invalid_token', "The token's 'role' claim is not an agentd role.");
    }
    if (!own && role === 'platform_admin') {
      throw tokenRefused(
        'invalid_token',
        'Only tokens agentd signs itself may carry the platform_admin role.',
      );
    }
    const tenant = await this.tenantNamed(tenantId);
    if (!tenant)
      throw tokenRefused('tenant_mismatch', "The token's 'tenant' claim names no tenant of this server.");
    if (own && claims.via === 'api_key' && !(await (this.options.keyIsLive?.(tenant.id, sub) ?? true))) {
      throw tokenRefused(
        'token_revoked',
        'The API key this token was issued from has been revoked.',
        tenant.id,
      );
    }
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : undefined;
    if (scopes?.some((s) => !isKnownScope(s))) {
      throw tokenRefused('invalid_token', "The token's 'scope' claim names a scope agentd does not know.");
    }
    return {
      tenantId: tenant.id,
      subject: sub,
      method: 'paseto',
      role: role as Role,
      ...(typeof user === 'string' ? { userId: user } : {}),
      ...(Array.isArray(groups) ? { groups: groups.filter((g): g is string => typeof g === 'string') } : {}),
      ...(scopes ? { scopes } : {}),
    };
  }

  /** A refusal of a token whose signature verified, attributed to the tenant its claims name (if it exists). */
  private async inItsTenant(refusal: TokenRefusedError, token: string): Promise<TokenRefusedError> {
    const tenantId = signedClaims(token)?.tenant;
    const tenant = typeof tenantId === 'string' ? await this.tenantNamed(tenantId) : undefined;
    return tenant ? (refusedIn(refusal, tenant.id) as TokenRefusedError) : refusal;
  }

  private async tenantNamed(id: string): Promise<{ id: string } | undefined> {
    const cached = this.tenants.get(id);
    if (cached && cached.until > Date.now()) return cached;
    const tenant = await this.options.tenants.get(id);
    if (!tenant) return undefined;
    if (this.tenants.size >= 10_000) this.tenants.clear();
    const entry = { id: tenant.id, until: Date.now() + 5000 };
    this.tenants.set(id, entry);
    return entry;
  }
}

/** The claims of a v4.public token (its payload is the JSON message followed by a 64-byte signature). */
function signedClaims(token: string): Record<string, unknown> | undefined {
  try {
    const payload = Buffer.from(token.split('.')[2] ?? '', 'base64url');
    const claims: unknown = JSON.parse(payload.subarray(0, payload.length - 64).toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function claimRefusal(error: ClaimValidationError): TokenRefusedError {
  switch (error.claim) {
    case 'exp':
      return error.message === 'Token has expired'
        ? tokenRefused('token_expired', 'The token has expired (exp).')
        : tokenRefused('invalid_token', 'The token has no valid expiry (exp).');
    case 'nbf':
      return tokenRefused('token_not_yet_valid', 'The token is not valid yet (nbf).');
    case 'aud':
      return tokenRefused('invalid_audience', "The token's audience (aud) is not agentd.");
    case 'iss':
      return tokenRefused('invalid_issuer', "The token's issuer (iss) is not agentd.");
    default:
      return tokenRefused('invalid_token', `The token's '${error.claim ?? 'unknown'}' claim is not valid.`);
  }
}
