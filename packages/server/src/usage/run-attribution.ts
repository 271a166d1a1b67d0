import type { StoredRun } from '@agentd/runtime';
import type { RunSpec } from '../responses/run-spec.js';
import type { UsageAttribution } from './usage-meter.js';

/**
 * The user a run's usage and per-user limits count against: the token's
 * user, else the request's `user`. Runs by an API key with neither belong
 * to no user (only tenant and key limits apply).
 */
export function runUser(spec: RunSpec): string | undefined {
  return spec.principal?.userId ?? spec.user;
}

/** Whose a run's model and tool calls are. */
export function attributionOf(run: StoredRun<RunSpec>): UsageAttribution {
  const principal = run.runSpec.principal;
  return {
    tenantId: run.tenantId,
    userId: runUser(run.runSpec),
    apiKeyId: principal?.method === 'api_key' ? principal.subject : undefined,
    agent: run.snapshot.agent?.name,
    responseId: run.id,
  };
}
