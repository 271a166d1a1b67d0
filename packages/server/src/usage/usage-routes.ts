import { printableString } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { AgentdError } from '../errors.js';
import { defineRoute, jsonContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { USAGE_GROUPS, type UsageGroup } from './usage-repository.js';

const DAY_S = 86_400;
const MAX_SPAN_S = 366 * DAY_S;

const unixSeconds = z.coerce.number().int().min(0).max(32_503_680_000);

const UsageQuerySchema = z.strictObject({
  start_time: unixSeconds.optional().openapi({
    description: 'Start (inclusive), in Unix seconds. Default: 30 days before end_time.',
  }),
  end_time: unixSeconds
    .optional()
    .openapi({ description: 'End (exclusive), in Unix seconds. Default: now.' }),
  group_by: z
    .string()
    .max(100)
    .optional()
    .openapi({
      description: `Comma-separated: any of ${USAGE_GROUPS.join(', ')}. Default: day.`,
      example: 'user,model,day',
    }),
  tenant_id: printableString(200)
    .optional()
    .openapi({ description: "Platform admins: one tenant's usage (default: every tenant's)." }),
});

const BucketSchema = z
  .object({
    object: z.literal('usage.bucket'),
    tenant: z.string().nullable().optional(),
    user: z.string().nullable().optional(),
    agent: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    day: z.string().nullable().optional().openapi({ description: 'UTC, YYYY-MM-DD.' }),
    input_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number(),
    cost_usd: z.number(),
    runs: z.number().int(),
    model_calls: z.number().int(),
    tool_calls: z.number().int(),
  })
  .openapi('UsageBucket');

const UsageReportSchema = z
  .object({
    object: z.literal('list'),
    start_time: z.number().int(),
    end_time: z.number().int(),
    group_by: z.array(z.enum(USAGE_GROUPS)),
    data: z.array(BucketSchema),
  })
  .openapi('UsageReport', {
    description: 'Tokens, cost, runs and calls, one bucket per group, for dashboards.',
  });

const route = defineRoute({
  method: 'get',
  path: '/v1/usage',
  tags: ['Usage'],
  summary: 'Tokens, cost, runs and tool calls by tenant, user, agent, model and day',
  permission: 'usage:read',
  request: { query: UsageQuerySchema },
  responses: { 200: jsonContent(UsageReportSchema, 'The usage in the time range.') },
});

function parseGroups(text: string | undefined): UsageGroup[] {
  if (text === undefined) return ['day'];
  const groups = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const group of groups) {
    if (!(USAGE_GROUPS as readonly string[]).includes(group))
      throw new AgentdError(
        'invalid_request',
        'invalid_value',
        `Invalid value for 'group_by': '${group}' is not one of ${USAGE_GROUPS.join(', ')}.`,
        { param: 'group_by' },
      );
  }
  return [...new Set(groups as UsageGroup[])];
}

export function usageRoutes() {
  return newRouter().openapi(route, async (c) => {
    const principal = principalOf(c);
    const query = c.req.valid('query');
    const groupBy = parseGroups(query.group_by);
    const end = query.end_time ?? Math.floor(Date.now() / 1000) + 1;
    const start = query.start_time ?? end - 30 * DAY_S;
    if (start >= end || end - start > MAX_SPAN_S)
      throw new AgentdError(
        'invalid_request',
        'invalid_value',
        "Invalid value for 'start_time': it must be before end_time, at most 366 days earlier.",
        { param: 'start_time' },
      );
    const everyTenant = principal.role === 'platform_admin';
    if (!everyTenant && query.tenant_id !== undefined && query.tenant_id !== principal.tenantId)
      throw new AgentdError(
        'permission',
        'permission_denied',
        "Only platform admins read other tenants' usage.",
        {
          param: 'tenant_id',
        },
      );
    const tenantId = everyTenant ? query.tenant_id : principal.tenantId;
    const buckets = await c.get('services').limits.usage.report({
      ...(tenantId === undefined ? {} : { tenantId }),
      start: new Date(start * 1000),
      end: new Date(end * 1000),
      groupBy,
    });
    return c.json(
      {
        object: 'list' as const,
        start_time: start,
        end_time: end,
        group_by: groupBy,
        data: buckets.map((bucket) => ({ object: 'usage.bucket' as const, ...bucket })),
      },
      200,
    );
  });
}
