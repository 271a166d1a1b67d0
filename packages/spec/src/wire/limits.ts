import { z } from 'zod';
import { printableString } from './common.js';

const count = (max: number) => z.number().int().min(0).max(max);

const RateSchema = z
  .strictObject({
    requests: count(1_000_000_000).min(1),
    per_seconds: count(86_400).min(1),
  })
  .meta({
    id: 'RateLimit',
    description:
      'A token bucket: up to `requests` at once, refilled evenly over `per_seconds` (one request back every per_seconds/requests s), so no burst passes across a window edge.',
  });

const QuotaSchema = z
  .strictObject({
    tool: printableString(128).meta({ description: 'A tool name, or `*` for every tool.' }),
    per: z.enum(['tenant', 'user']),
    calls_per_day: count(1_000_000_000),
  })
  .meta({ id: 'ToolQuota', description: 'Calls of a tool per UTC day, per tenant or per user.' });

const BudgetSchema = z
  .strictObject({
    tokens: count(Number.MAX_SAFE_INTEGER).optional(),
    cost_usd: z.number().min(0).max(1e12).optional(),
  })
  .meta({
    id: 'Budget',
    description: 'Input plus output tokens, and cost in US dollars at the price table.',
  });

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
        tool: RateSchema.nullable().optional().meta({ description: 'Calls of each tool, per tenant.' }),
      })
      .optional(),
    tool_quotas: z.array(QuotaSchema).max(100).nullable().optional(),
    budgets: z
      .strictObject({
        period: z.enum(['day', 'month']).optional().meta({ description: 'UTC; default `day`.' }),
        tenant: BudgetSchema.nullable().optional(),
        user: BudgetSchema.nullable().optional(),
        run: BudgetSchema.nullable().optional(),
      })
      .optional(),
  })
  .meta({ id: 'LimitSettings' });

export type LimitSettings = z.infer<typeof LimitSettingsSchema>;
export type Rate = z.infer<typeof RateSchema>;
export type ToolQuota = z.infer<typeof QuotaSchema>;
export type Budget = z.infer<typeof BudgetSchema>;

/** GET /v1/limits: a tenant's settings, the server defaults, and what is in force. */
export const LimitsSchema = z
  .object({
    object: z.literal('limits'),
    // The id keeps each a $ref to LimitSettings (a description alone would copy the schema in).
    tenant: LimitSettingsSchema.meta({ id: 'LimitSettings', description: "The tenant's own settings." }),
    server: LimitSettingsSchema.meta({
      id: 'LimitSettings',
      description: 'The server defaults (AGENTD_LIMITS).',
    }),
    effective: LimitSettingsSchema.meta({
      id: 'LimitSettings',
      description: 'What is in force: the tenant settings over the defaults.',
    }),
  })
  .meta({
    id: 'Limits',
    description: 'Rate limits, daily tool quotas and token and cost budgets of a tenant.',
  });
