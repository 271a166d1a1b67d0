import { z } from 'zod';
import { printableString } from './common.js';

/** What a usage report can be grouped by. */
export const USAGE_GROUPS = ['tenant', 'user', 'agent', 'model', 'day'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

const unixSeconds = z.coerce.number().int().min(0).max(32_503_680_000);

/** GET /v1/usage's query. */
export const UsageQuerySchema = z.strictObject({
  start_time: unixSeconds.optional().meta({
    description: 'Start (inclusive), in Unix seconds. Default: 30 days before end_time.',
  }),
  end_time: unixSeconds.optional().meta({ description: 'End (exclusive), in Unix seconds. Default: now.' }),
  group_by: z
    .string()
    .max(100)
    .optional()
    .meta({
      description: `Comma-separated: any of ${USAGE_GROUPS.join(', ')}. Default: day.`,
      example: 'user,model,day',
    }),
  tenant_id: printableString(200)
    .optional()
    .meta({ description: "Platform admins: one tenant's usage (default: every tenant's)." }),
});

export const UsageBucketSchema = z
  .object({
    object: z.literal('usage.bucket'),
    tenant: z.string().nullable().optional(),
    user: z.string().nullable().optional(),
    agent: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    day: z.string().nullable().optional().meta({ description: 'UTC, YYYY-MM-DD.' }),
    input_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number(),
    cost_usd: z.number(),
    runs: z.number().int(),
    model_calls: z.number().int(),
    tool_calls: z.number().int(),
  })
  .meta({ id: 'UsageBucket' });

export const UsageReportSchema = z
  .object({
    object: z.literal('list'),
    start_time: z.number().int(),
    end_time: z.number().int(),
    group_by: z.array(z.enum(USAGE_GROUPS)),
    data: z.array(UsageBucketSchema),
  })
  .meta({
    id: 'UsageReport',
    description: 'Tokens, cost, runs and calls, one bucket per group, for dashboards.',
  });
