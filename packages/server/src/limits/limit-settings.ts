import { z } from '@hono/zod-openapi';
import { printableString } from '../http/common-schemas.js';

const count = (max: number) => z.number().int().min(0).max(max);

const RateSchema = z
  .strictObject({
    requests: count(1_000_000_000).min(1),
    per_seconds: count(86_400).min(1),
  })
  .openapi('RateLimit', {
    description:
      'A token bucket: up to `requests` at once, refilled evenly over `per_seconds` (one request back every per_seconds/requests s), so no burst passes across a window edge.',
  });

const QuotaSchema = z
  .strictObject({
    tool: printableString(128).openapi({ description: 'A tool name, or `*` for every tool.' }),
    per: z.enum(['tenant', 'user']),
    calls_per_day: count(1_000_000_000),
  })
  .openapi('ToolQuota', { description: 'Calls of a tool per UTC day, per tenant or per user.' });

const BudgetSchema = z
  .strictObject({
    tokens: count(Number.MAX_SAFE_INTEGER).optional(),
    cost_usd: z.number().min(0).max(1e12).optional(),
  })
  .openapi('Budget', { description: 'Input plus output tokens, and cost in US dollars at the price table.' });

/**
 * Limits and budgets, as the server's defaults (AGENTD_LIMITS) and a
 * tenant's own settings hold them. In a tenant's settings a field overrides
 * the default; `null` lifts it.
 */
export const LimitSettingsSchema = z
  .strictObject({
    rate_limits: z
      .strictObject({
        tenant: RateSchema.nullable().optional(),
        api_key: RateSchema.nullable().optional(),
        user: RateSchema.nullable().optional(),
        tool: RateSchema.nullable().optional().openapi({ description: 'Calls of each tool, per tenant.' }),
      })
      .optional(),
    tool_quotas: z.array(QuotaSchema).max(100).nullable().optional(),
    budgets: z
      .strictObject({
        period: z.enum(['day', 'month']).optional().openapi({ description: 'UTC; default `day`.' }),
        tenant: BudgetSchema.nullable().optional(),
        user: BudgetSchema.nullable().optional(),
        run: BudgetSchema.nullable().optional(),
      })
      .optional(),
  })
  .openapi('LimitSettings');

export type LimitSettings = z.infer<typeof LimitSettingsSchema>;
export type Rate = z.infer<typeof RateSchema>;
export type ToolQuota = z.infer<typeof QuotaSchema>;
export type Budget = z.infer<typeof BudgetSchema>;

/** The limits in force for one tenant: every field resolved. */
export interface EffectiveLimits {
  rateLimits: { tenant?: Rate; api_key?: Rate; user?: Rate; tool?: Rate };
  toolQuotas: ToolQuota[];
  budgets: { period: 'day' | 'month'; tenant?: Budget; user?: Budget; run?: Budget };
}

/** The tenant's settings over the server's: a field the tenant sets wins, `null` lifts the default. */
export function effectiveLimits(server: LimitSettings, tenant: LimitSettings): EffectiveLimits {
  const pick = <T>(own: T | null | undefined, base: T | null | undefined): T | undefined =>
    (own === undefined ? base : own) ?? undefined;
  const rates = { own: tenant.rate_limits ?? {}, base: server.rate_limits ?? {} };
  const budgets = { own: tenant.budgets ?? {}, base: server.budgets ?? {} };
  const defined = <T extends object>(value: T) =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  return {
    rateLimits: defined({
      tenant: pick(rates.own.tenant, rates.base.tenant),
      api_key: pick(rates.own.api_key, rates.base.api_key),
      user: pick(rates.own.user, rates.base.user),
      tool: pick(rates.own.tool, rates.base.tool),
    }),
    toolQuotas: pick(tenant.tool_quotas, server.tool_quotas) ?? [],
    budgets: defined({
      period: budgets.own.period ?? budgets.base.period ?? 'day',
      tenant: pick(budgets.own.tenant, budgets.base.tenant),
      user: pick(budgets.own.user, budgets.base.user),
      run: pick(budgets.own.run, budgets.base.run),
    }),
  };
}

/** Whether any token or cost budget applies. */
export function hasBudgets(limits: EffectiveLimits): boolean {
  return [limits.budgets.tenant, limits.budgets.user, limits.budgets.run].some(
    (budget) => budget?.tokens !== undefined || budget?.cost_usd !== undefined,
  );
}
