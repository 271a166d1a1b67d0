import type { IdentityProvider } from '@agentd/spec/wire';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import { principalFromClaims } from '../../../identity/claim-mapping.js';
import type { OidcKeySets, PolicedFetch } from '../../../identity/oidc-key-sets.js';
import type { Authenticator } from './authenticate.js';
import { refusedIn, type TokenProblem, tokenRefused } from './token-errors.js';

/** The only signature algorithms accepted: asymmetric, so a public key can never sign. */
export const JWT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

type Mapping = Pick<IdentityProvider, 'claims' | 'role_map' | 'default_role'>;

/** A provider a token's issuer may match, and how to find the tenant its tokens authenticate into. */
export interface JwtCandidate {
  issuer: string;
  audience: string;
  mapping: Mapping;
  /** The tenant: fixed for a tenant's own provider, read from the verified claims for the platform's. */
  tenant: (claims: JWTPayload) => Promise<{ id: string; name: string }>;
  /** The tenant whose provider this is (not the platform's): where its tokens' refusals are audited. */
  tenantId?: string;
  /** The network policy's fetch, and a key naming that policy (keys fetched under one are not used under another). */
  network: () => Promise<{ fetch: PolicedFetch; cacheKey: string }>;
}

export interface JwtAuthenticatorOptions {
  /** The providers that trust an issuer (tenants' first, then the platform-wide one). */
  candidates: (issuer: string) => Promise<JwtCandidate[]>;
  keys: OidcKeySets;
  clockSkewSeconds: number;
}

const JOSE_PROBLEMS: Record<string, [TokenProblem, string]> = {
  ERR_JWT_EXPIRED: ['token_expired', 'The token has expired (exp).'],
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: [
    'invalid_signature',
    "The token's signature does not verify with its identity provider's key.",
  ],
  ERR_JOSE_ALG_NOT_ALLOWED: ['alg_not_allowed', `Only ${JWT_ALGORITHMS.join(', ')} tokens are accepted.`],
  ERR_JWKS_NO_MATCHING_KEY: ['unknown_key', "The token's key (kid) is not among its provider's keys."],
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: [
    'unknown_key',
    'The token names no kid and its provider has several keys.',
  ],
};

const CLAIM_PROBLEMS: Record<string, [TokenProblem, string]> = {
  nbf: ['token_not_yet_valid', 'The token is not valid yet (nbf).'],
  aud: ['invalid_audience', "The token's audience (aud) is not the one configured for its issuer."],
  iss: ['invalid_issuer', "The token's issuer (iss) is not the configured one."],
  exp: ['invalid_token', 'The token has no valid expiry (exp).'],
  iat: ['invalid_token', 'The token has an invalid issue time (iat).'],
};

/**
 * Authenticates OIDC access tokens (JWTs): the issuer picks the providers
 * that trust it, the audience the one, the provider's keys verify the
 * signature, and its claim mapping makes the principal. A token that is not
 * a JWT is left to the next authenticator; a JWT that fails is a 401 naming
 * what failed.
 */
export function jwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  return async (token) => {
    const header = headerOf(token);
    if (!header) return undefined;
    if (!(JWT_ALGORITHMS as readonly string[]).includes(String(header.alg))) {
      throw tokenRefused(
        'alg_not_allowed',
        `Tokens signed with '${String(header.alg).slice(0, 20)}' are not accepted; only ${JWT_ALGORITHMS.join(', ')}.`,
      );
    }
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw tokenRefused('invalid_token', "The token's payload is not a JSON object.");
    }
    if (typeof unverified.iss !== 'string')
      throw tokenRefused('invalid_token', 'The token has no issuer (iss).');
    const candidates = await options.candidates(unverified.iss);
    if (candidates.length === 0) {
      throw tokenRefused('unknown_issuer', "No tenant trusts the token's issuer (iss).");
    }
    const audiences = typeof unverified.aud === 'string' ? [unverified.aud] : (unverified.aud ?? []);
    const candidate = candidates.find((c) => audiences.includes(c.audience));
    if (!candidate) {
      // One tenant trusts the issuer: the refusal is about its sign-ins.
      const owners = new Set(candidates.map((c) => c.tenantId));
      const [owner] = owners;
      throw tokenRefused(
        'invalid_audience',
        "The token's audience (aud) is not the one configured for its issuer.",
        owners.size === 1 ? owner : undefined,
      );
    }
    const network = await candidate.network();
    let claims: JWTPayload;
    try {
      const verified = await jwtVerify(
        token,
        options.keys.resolver(candidate.issuer, network.fetch, network.cacheKey),
        {
          issuer: candidate.issuer,
          audience: candidate.audience,
          algorithms: [...JWT_ALGORITHMS],
          clockTolerance: options.clockSkewSeconds,
          requiredClaims: ['exp'],
        },
      );
      claims = verified.payload;
    } catch (error) {
      const refusal = refusalOf(error);
      throw candidate.tenantId === undefined ? refusal : refusedIn(refusal, candidate.tenantId);
    }
    return principalFromClaims(claims, candidate.mapping, await candidate.tenant(claims), 'jwt');
  };
}

/** The protected header, when the token is shaped like a JWS compact JWT; otherwise undefined. */
function headerOf(token: string): Record<string, unknown> | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function refusalOf(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === undefined || !code.startsWith('ERR_J')) return error;
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    const claim = (error as { claim?: string }).claim ?? '';
    const [problem, message] = CLAIM_PROBLEMS[claim] ?? [
      'invalid_token',
      `The token's '${claim}' claim is not valid.`,
    ];
    return tokenRefused(problem, message);
  }
  const [problem, message] = JOSE_PROBLEMS[code] ?? ['invalid_token', 'The token is not a valid JWT.'];
  return tokenRefused(problem, message);
}
