import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AuditActor } from '../../../audit/audit-event.js';
import { DEFAULT_TENANT_ID } from '../../../tenants/tenant-repository.js';
import type { AppEnv } from '../../app-env.js';

/** The kinds of credential. */
export type CredentialKind = 'paseto' | 'jwt' | 'api_key';

/** A credential that was presented and refused: what kind, why, and whose tenant it concerns when known. */
export interface RefusedLogin {
  credential: CredentialKind;
  code: string;
  message: string;
  tenantId?: string;
}

/** Told of every refused credential, before the 401 goes out (e.g. to audit it); must not throw. */
export type RefusalListener = (c: Context<AppEnv>, refusal: RefusedLogin) => Promise<void>;

/**
 * Audits each refused credential as `login.failed`: in the tenant it
 * concerns when that is known without trusting the token (its issuer is the
 * tenant's identity provider, or its signature verified), else in the
 * platform's own tenant. Never the credential, nor any claim of it: what
 * kind it was, why it was refused, and where the request came from. Writes
 * are throttled (`services.refusals`, a ThrottledAudit), so a flood of bad keys costs the log one
 * `audit.suppressed` event a window.
 */
export const auditRefusedLogin: RefusalListener = async (c, refusal) => {
  await c.get('services').refusals.record({
    tenantId: refusal.tenantId ?? DEFAULT_TENANT_ID,
    type: 'login.failed',
    actor: requesterOf(c),
    data: { credential: refusal.credential, code: refusal.code, message: refusal.message },
  });
};

/** Whoever sent the request: its address and user agent, as far as they are known. */
function requesterOf(c: Context<AppEnv>): AuditActor {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    // Not served by node:http (an in-process request): no address.
  }
  const agent = c.req.header('user-agent')?.slice(0, 200);
  return {
    type: 'anonymous',
    anonymous: { ...(address ? { ip_address: address } : {}), ...(agent ? { user_agent: agent } : {}) },
  };
}
