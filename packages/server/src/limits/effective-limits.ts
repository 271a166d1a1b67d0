import type { Budget, LimitSettings, Rate, ToolQuota } from '@agentd/spec/wire';

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
