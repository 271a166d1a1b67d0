import { Readable } from 'node:stream';
import {
  AuditEventSchema,
  AuditExportQuerySchema,
  AuditQuerySchema,
  ChainVerificationSchema,
  listSchema,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { defineRoute, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { type AuditFilter, exportAuditEvents, listAuditEvents } from './audit-query.js';
import { toView } from './audit-rows.js';

const tags = ['Audit log'];

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/audit_events',
  tags,
  summary: "List your tenant's audit events",
  description:
    'Newest first unless `order=asc`; filters as in OpenAI’s audit log API. Every change of consequence and every run’s creation, tool calls, approvals, denials and end are recorded, hash-chained per tenant.',
  permission: 'audit:read',
  request: { query: AuditQuerySchema },
  responses: { 200: jsonContent(listSchema(AuditEventSchema, 'AuditEventList'), 'A page of audit events.') },
});

const exportRoute = defineRoute({
  method: 'get',
  path: '/v1/audit_events/export',
  tags,
  summary: "Export your tenant's audit events as JSON Lines",
  description: 'Every event under the filters, oldest first, one JSON object (as in the list) a line.',
  permission: 'audit:read',
  request: { query: AuditExportQuerySchema },
  responses: {
    200: {
      description: 'One audit event a line.',
      content: { 'application/jsonl': { schema: { type: 'string' } } },
    },
  },
});

const verifyRoute = defineRoute({
  method: 'get',
  path: '/v1/audit_events/verify',
  tags,
  summary: "Verify your tenant's audit chain",
  description:
    'Recomputes every event’s hash from the first to the chain’s head and names the first broken link: an edited event (`hash_mismatch`), one out of place (`prev_hash_mismatch`), a deleted one (`missing`). `agentd audit verify` calls this.',
  permission: 'audit:read',
  responses: { 200: jsonContent(ChainVerificationSchema, 'What the walk found.') },
});

type AuditQuery = Omit<typeof AuditQuerySchema._output, 'after' | 'limit' | 'order'>;

function filterOf(query: AuditQuery): AuditFilter {
  return {
    types: query['event_types[]'],
    actorIds: query['actor_ids[]'],
    resourceIds: query['resource_ids[]'],
    effectiveAt: {
      gt: query['effective_at[gt]'],
      gte: query['effective_at[gte]'],
      lt: query['effective_at[lt]'],
      lte: query['effective_at[lte]'],
    },
  };
}

export function auditRoutes() {
  return newRouter()
    .openapi(listRoute, async (c) => {
      const query = c.req.valid('query');
      const page = await listAuditEvents(c.get('services').db, tenantOf(c), {
        ...filterOf(query),
        after: query.after,
        limit: query.limit,
        order: query.order,
      });
      return c.json({ ...page, data: page.data.map(toView) as z.infer<typeof AuditEventSchema>[] }, 200);
    })
    .openapi(exportRoute, async (c) => {
      const events = exportAuditEvents(c.get('services').db, tenantOf(c), filterOf(c.req.valid('query')));
      const lines = Readable.from(
        (async function* () {
          for await (const event of events) yield `${JSON.stringify(toView(event))}\n`;
        })(),
      );
      return new Response(Readable.toWeb(lines) as ReadableStream, {
        status: 200,
        headers: { 'content-type': 'application/jsonl; charset=utf-8' },
      }) as never;
    })
    .openapi(verifyRoute, async (c) => c.json(await c.get('services').audit.verify(tenantOf(c)), 200));
}
