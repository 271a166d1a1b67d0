import type { Principal } from '@agentd/spec';
import type { Rate } from '@agentd/spec/wire';
import type { MiddlewareHandler } from 'hono';
import { AgentdError } from '../../../errors.js';
import type { EffectiveLimits } from '../../../limits/effective-limits.js';
import type { LimitDecision } from '../../../limits/rate-limit-store.js';
import { describeBudget } from '../../../usage/budgets.js';
import type { AppEnv } from '../../app-env.js';
import { setLimitHeaders, setRetryAfter } from './rate-limit-headers.js';

/** The routes that start model work, where a spent budget refuses the request. */
const MODEL_ROUTES = new Set(['/v1/responses', '/v1/chat/completions']);

interface Counted {
  name: string;
  rate: Rate;
  key: string;
}

/** The request limits that apply to a caller: its tenant's, its API key's, its user's. */
function countedFor(principal: Principal, limits: EffectiveLimits): Counted[] {
  const { tenant, api_key: apiKey, user } = limits.rateLimits;
  const counted: Counted[] = [];
  if (tenant) counted.push({ name: 'tenant', rate: tenant, key: `req:tenant:${principal.tenantId}` });
  if (apiKey && principal.method === 'api_key')
    counted.push({ name: 'API key', rate: apiKey, key: `req:key:${principal.subject}` });
  if (user && principal.userId !== undefined)
    counted.push({ name: 'user', rate: user, key: `req:user:${principal.tenantId}:${principal.userId}` });
  return counted;
}

/**
 * Counts each authenticated request against its tenant's, key's and user's
 * rate limits, and refuses a model request from a tenant or user whose
 * budget is spent: 429 with Retry-After and OpenAI's x-ratelimit-* headers
 * (the tightest request window; the tenant's token budget when it has one).
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) return next();
    const { limits: services } = c.get('services');
    const limits = await services.tenantLimits.limitsFor(principal.tenantId);
    let tightest: (LimitDecision & { counted: Counted }) | undefined;
    for (const counted of countedFor(principal, limits)) {
      const decision = await services.store.take(counted.key, {
        limit: counted.rate.requests,
        perSeconds: counted.rate.per_seconds,
      });
      if (!tightest || !decision.allowed || decision.remaining < tightest.remaining)
        tightest = { ...decision, counted };
      if (!decision.allowed) break;
    }
    if (tightest) setLimitHeaders(c, 'requests', tightest);
    if (tightest && !tightest.allowed) {
      const { name, rate } = tightest.counted;
      setRetryAfter(c, tightest.retryAfterMs);
      throw new AgentdError(
        'rate_limit',
        'rate_limit_exceeded',
        `Rate limit reached for your ${name}: ${rate.requests} requests per ${rate.per_seconds} s. Retry after ${Math.ceil(tightest.retryAfterMs / 1000)} s.`,
      );
    }
    if (c.req.method === 'POST' && MODEL_ROUTES.has(c.req.path)) {
      const { tokens, spent } = await services.budgets.admission(principal.tenantId, principal.userId);
      if (tokens) setLimitHeaders(c, 'tokens', tokens);
      if (spent) {
        if (spent.resetsAt) setRetryAfter(c, spent.resetsAt.getTime() - Date.now());
        throw new AgentdError(
          'rate_limit',
          'budget_exceeded',
          `Request refused: ${describeBudget(spent)}.${spent.resetsAt ? ` It renews at ${spent.resetsAt.toISOString()}.` : ''}`,
        );
      }
    }
    await next();
  };
}
