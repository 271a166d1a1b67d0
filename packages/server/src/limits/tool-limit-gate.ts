import type { ToolCallDenial } from '@agentd/core';
import type { ToolGateFactory } from '../responses/gateway-run-environment.js';
import { attributionOf } from '../usage/run-attribution.js';
import type { UsageAttribution, UsageMeter } from '../usage/usage-meter.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { TenantLimits } from './tenant-limits.js';

export interface ToolLimitGateOptions {
  limits: TenantLimits;
  store: RateLimitStore;
  meter: UsageMeter;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/** Asks the tenant's tool limits about one call: a denial, or undefined (and the call is counted). */
export type ToolLimitCheck = (call: {
  name: string;
  stage?: 'approval';
}) => Promise<ToolCallDenial | undefined>;

/**
 * Each run's gate for its tenant's tool rate limit and daily tool quotas. A
 * call past either is denied (the model reads why and when to retry); a call
 * let through is counted in the tenant's usage. Ask it after the policy gate,
 * so that a call policy denies spends no quota.
 */
export function toolLimitGate(options: ToolLimitGateOptions): ToolGateFactory {
  const limitsFor = toolLimitsFor(options);
  return (run) => limitsFor(attributionOf(run));
}

/**
 * The same limits for the calls of `who`: a run's caller, or one calling a
 * registered tool outside a run (over /mcp), counted as a run's would be.
 */
export function toolLimitsFor(options: ToolLimitGateOptions): (who: UsageAttribution) => ToolLimitCheck {
  const now = options.now ?? (() => new Date());
  return (who) => {
    const tenantId = who.tenantId;
    return async (call): Promise<ToolCallDenial | undefined> => {
      // Counted when the call runs, not when it is put to a person for approval.
      if (call.stage === 'approval') return undefined;
      const limits = await options.limits.limitsFor(tenantId);
      const rate = limits.rateLimits.tool;
      if (rate) {
        const decision = await options.store.take(`tool:${tenantId}:${call.name}`, {
          limit: rate.requests,
          perSeconds: rate.per_seconds,
        });
        if (!decision.allowed) {
          return {
            by: 'rate_limit',
            reason: `the tenant's rate limit for ${call.name} (${rate.requests} calls per ${rate.per_seconds} s) is reached`,
            retryAfterMs: decision.retryAfterMs,
          };
        }
      }
      const at = now();
      const day = at.toISOString().slice(0, 10);
      const untilTomorrow = DAY_MS - (at.getTime() % DAY_MS);
      for (const quota of limits.toolQuotas) {
        if (quota.tool !== '*' && quota.tool !== call.name) continue;
        // A per-user quota of a run with no user counts against its API key, which acts as the user.
        const owner = quota.per === 'tenant' ? tenantId : `${tenantId}:${who.userId ?? who.apiKeyId ?? ''}`;
        const denial: ToolCallDenial = {
          by: 'quota',
          reason: `the daily quota of ${quota.calls_per_day} calls of ${call.name} per ${quota.per} is used up`,
          retryAfterMs: untilTomorrow,
        };
        if (quota.calls_per_day === 0) return denial;
        const decision = await options.store.consume(
          `quota:${quota.per}:${owner}:${call.name}:${day}`,
          quota.calls_per_day,
          2 * 86_400,
        );
        if (!decision.allowed) return denial;
      }
      await options.meter.toolCall(who, call.name);
      return undefined;
    };
  };
}
