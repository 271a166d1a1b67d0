import type { IncompleteDetails } from '@agentd/spec';
import type { Budget } from '@agentd/spec/wire';
import type { EffectiveLimits } from '../limits/effective-limits.js';
import type { TenantLimits } from '../limits/tenant-limits.js';
import type { Spent, UsageRepository } from './usage-repository.js';

/** A budget that is spent: whose, in what, its size and what was used. */
export interface SpentBudget {
  scope: 'tenant' | 'user' | 'run';
  measure: 'tokens' | 'cost_usd';
  limit: number;
  used: number;
  period: 'day' | 'month' | 'run';
  /** When the period renews (absent for a run's budget). */
  resetsAt?: Date;
}

/** The start of the UTC day or month holding `now`, and the start of the next. */
export function periodOf(period: 'day' | 'month', now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  if (period === 'month') return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  const d = now.getUTCDate();
  return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
}

/** "the tenant's token budget (1000 tokens per day)", as errors and incomplete runs name it. */
export function describeBudget(spent: SpentBudget): string {
  const whose = spent.scope === 'run' ? "the run's" : `the ${spent.scope}'s`;
  const size =
    spent.measure === 'tokens' ? `${spent.limit} tokens` : `$${spent.limit.toFixed(2).replace(/\.00$/, '')}`;
  const per = spent.period === 'run' ? 'per run' : `per ${spent.period}`;
  const used = spent.measure === 'tokens' ? `${spent.used} used` : `$${spent.used.toFixed(4)} used`;
  return `${whose} ${spent.measure === 'tokens' ? 'token' : 'cost'} budget (${size} ${per}) is spent: ${used}`;
}

function overrun(
  scope: SpentBudget['scope'],
  budget: Budget | undefined,
  spent: Spent,
  period: SpentBudget['period'],
  resetsAt?: Date,
): SpentBudget | undefined {
  const at = (measure: SpentBudget['measure'], limit: number | undefined, used: number) =>
    limit !== undefined && used >= limit
      ? { scope, measure, limit, used, period, ...(resetsAt ? { resetsAt } : {}) }
      : undefined;
  return at('tokens', budget?.tokens, spent.tokens) ?? at('cost_usd', budget?.cost_usd, spent.costUsd);
}

/**
 * Token and cost budgets per run, per user and per tenant per period,
 * counted from usage_records. A request from a tenant or user whose budget
 * is spent is refused; a run stops before the model call after its budget
 * (or its user's or tenant's) is spent.
 */
export class Budgets {
  constructor(
    private readonly limits: TenantLimits,
    private readonly usage: UsageRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A model request's admission: the tenant's token budget as rate-limit
   * headers report it (when it has one) and the tenant's or user's spent
   * budget for this period (if one is), from one sum of the period's usage.
   */
  async admission(
    tenantId: string,
    userId?: string,
  ): Promise<{ tokens?: { limit: number; remaining: number; resetMs: number }; spent?: SpentBudget }> {
    const limits = await this.limits.limitsFor(tenantId);
    const { tenant: tenantBudget, user: userBudget, period } = limits.budgets;
    const userBudgetApplies = userId !== undefined && userBudget !== undefined;
    if (tenantBudget === undefined && !userBudgetApplies) return {};
    const now = this.now();
    const { start, end } = periodOf(period, now);
    const used = await this.usage.spentSince(tenantId, start, userId);
    const spent =
      overrun('tenant', tenantBudget, used.tenant, period, end) ??
      (userBudgetApplies ? overrun('user', userBudget, used.user, period, end) : undefined);
    const limit = tenantBudget?.tokens;
    return {
      ...(limit === undefined
        ? {}
        : {
            tokens: {
              limit,
              remaining: Math.max(0, limit - used.tenant.tokens),
              resetMs: end.getTime() - now.getTime(),
            },
          }),
      ...(spent ? { spent } : {}),
    };
  }

  /**
   * The run's check before each model call (RunLoopInput.beforeModelCall):
   * ends it `incomplete` with reason `budget_exceeded` once its own budget,
   * its user's or its tenant's is spent. The run's spend is summed from its
   * usage records (every model call, the judge's too, on every worker that ran it).
   */
  beforeModelCall(
    tenantId: string,
    userId: string | undefined,
    responseId: string,
  ): () => Promise<IncompleteDetails | undefined> {
    return async () => {
      const limits = await this.limits.limitsFor(tenantId);
      const runBudget = limits.budgets.run;
      const run = runBudget
        ? overrun('run', runBudget, await this.usage.spentByRun(tenantId, responseId), 'run')
        : undefined;
      const spent = run ?? (await this.periodSpent(limits, tenantId, userId));
      return spent ? { reason: 'budget_exceeded', message: describeBudget(spent) } : undefined;
    };
  }

  private async periodSpent(
    limits: EffectiveLimits,
    tenantId: string,
    userId: string | undefined,
  ): Promise<SpentBudget | undefined> {
    const { tenant: tenantBudget, user: userBudget, period } = limits.budgets;
    const userBudgetApplies = userId !== undefined && userBudget !== undefined;
    if (tenantBudget === undefined && !userBudgetApplies) return undefined;
    const { start, end } = periodOf(period, this.now());
    const spent = await this.usage.spentSince(tenantId, start, userId);
    return (
      overrun('tenant', tenantBudget, spent.tenant, period, end) ??
      (userBudgetApplies ? overrun('user', userBudget, spent.user, period, end) : undefined)
    );
  }
}
