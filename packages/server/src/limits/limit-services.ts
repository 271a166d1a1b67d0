import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ToolGateFactory } from '../responses/gateway-run-environment.js';
import type { Queryable } from '../storage/database.js';
import { Budgets } from '../usage/budgets.js';
import { PriceTable } from '../usage/price-table.js';
import { RunUsage } from '../usage/run-usage.js';
import { type UsageAttribution, UsageMeter } from '../usage/usage-meter.js';
import { UsageRepository } from '../usage/usage-repository.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { TenantLimits } from './tenant-limits.js';
import { type ToolLimitCheck, toolLimitGate, toolLimitsFor } from './tool-limit-gate.js';

/** Rate limits, quotas, budgets and usage, as routes, middleware and runs reach them. */
export interface LimitServices {
  tenantLimits: TenantLimits;
  /** The counters (in memory, or in Redis in scaled mode). */
  store: RateLimitStore;
  usage: UsageRepository;
  meter: UsageMeter;
  budgets: Budgets;
  /** Given to each run: its metered model and budget check. */
  runUsage: RunUsage;
  /** Each run's tool rate limit and quotas. */
  toolGate: ToolGateFactory;
  /** The same limits for a caller's calls outside a run (registered tools over /mcp). */
  toolLimitsFor: (who: UsageAttribution) => ToolLimitCheck;
}

export function createLimitServices(
  config: Config,
  db: Queryable,
  logger: Logger,
  store: RateLimitStore,
): LimitServices {
  const tenantLimits = new TenantLimits(db, config.AGENTD_LIMITS ?? {});
  const usage = new UsageRepository(db);
  const meter = new UsageMeter(usage, new PriceTable(config.AGENTD_MODEL_PRICES ?? {}), logger);
  const budgets = new Budgets(tenantLimits, usage);
  return {
    tenantLimits,
    store,
    usage,
    meter,
    budgets,
    runUsage: new RunUsage(meter, budgets),
    toolGate: toolLimitGate({ limits: tenantLimits, store, meter }),
    toolLimitsFor: toolLimitsFor({ limits: tenantLimits, store, meter }),
  };
}
