import { USAGE_GROUPS, type UsageGroup, UsageQuerySchema, UsageReportSchema } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import { defineRoute, jsonContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';

const DAY_S = 86_400;
const MAX_SPAN_S = 366 * DAY_S;

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
