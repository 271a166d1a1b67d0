import { AgentdError } from '../../../errors.js';

/**
 * Why a bearer token (JWT or PASETO) was refused. Each is a 401 whose code
 * names the problem; none repeats the token or its claims, so nothing of a
 * token reaches a log through an error.
 */
export type TokenProblem =
  | 'invalid_token'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'invalid_audience'
  | 'invalid_issuer'
  | 'unknown_issuer'
  | 'alg_not_allowed'
  | 'invalid_signature'
  | 'unknown_key'
  | 'tenant_mismatch'
  | 'token_revoked';

export class TokenRefusedError extends AgentdError {
  constructor(
    problem: TokenProblem,
    message: string,
    /**
     * The tenant the token belongs to, when that is known without trusting
     * the token's claims (its issuer is the tenant's provider, or its
     * signature verified): where the refused login is audited.
     */
    readonly tenantId?: string,
  ) {
    super('authentication', problem, message);
    this.name = 'TokenRefusedError';
  }
}

export function tokenRefused(problem: TokenProblem, message: string, tenantId?: string): TokenRefusedError {
  return new TokenRefusedError(problem, message, tenantId);
}

/** The same refusal, known to concern `tenantId`'s identity (for the audit log). */
export function refusedIn(error: unknown, tenantId: string): unknown {
  if (!(error instanceof TokenRefusedError) || error.tenantId !== undefined) return error;
  return new TokenRefusedError(error.code as TokenProblem, error.message, tenantId);
}

/** The identity provider could not be reached (or the network policy keeps agentd from it): a 503. */
export function providerUnavailable(message: string, cause?: unknown): AgentdError {
  return new AgentdError('unavailable', 'identity_provider_unavailable', message, { cause });
}
