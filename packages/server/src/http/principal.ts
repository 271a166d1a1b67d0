import type { Principal } from '@agentd/spec';
import type { Context } from 'hono';
import { AgentdError } from '../errors.js';
import type { AppEnv } from './app-env.js';

export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal)
    throw new AgentdError('authentication', 'invalid_api_key', 'Missing or invalid credentials.');
  return principal;
}

/** The caller's tenant: every repository call is scoped by it. */
export function tenantOf(c: Context<AppEnv>): string {
  return principalOf(c).tenantId;
}
