import { isTerminal } from '@agentd/core';
import type { ResponseObject } from '@agentd/spec';
import {
  CreateResponseSchema,
  DeletedSchema,
  IdParamSchema,
  ItemSchema,
  listSchema,
  PageQuerySchema,
  ResponseObjectSchema,
} from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { actorOf } from '../audit/audit-event.js';
import { AgentdError } from '../errors.js';
import { defineRoute, errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { principalOf, tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { createResponse, hashRequest } from './create-response.js';
import { EVENT_VIEW_HEADER, EVENT_VIEWS, type EventView } from './event-view.js';
import { checkInclude } from './request-fields.js';
import { includeQuery, withIncludes } from './response-includes.js';
import { streamEvents } from './stream-events.js';
import { forgetWhenDone } from './unstored-response.js';

const tags = ['Responses'];
const sse = {
  'text/event-stream': {
    schema: z.string().openapi({ description: 'Server-sent events; each id is the sequence number.' }),
  },
};

/** The opt-in to agentd's own run events on a stream; without it the stream is exactly OpenAI's. */
const eventViewHeader = {
  [EVENT_VIEW_HEADER]: z
    .enum(EVENT_VIEWS)
    .optional()
    .openapi({
      description:
        "Which events a stream carries. `openai` (the default): only the events of OpenAI's Responses API, " +
        'a cancelled run ending with `response.failed` whose response says `status: cancelled`. `all`: also ' +
        "agentd's own run events (`response.model_call.*`, `response.tool_call.*`, `response.cancelled`). " +
        'GET /v1/responses/{id}/events lists every event either way.',
    }),
};
const viewOf = (headers: { [EVENT_VIEW_HEADER]?: EventView | undefined }): EventView =>
  headers[EVENT_VIEW_HEADER] ?? 'openai';

const createRoute = defineRoute({
  method: 'post',
  path: '/v1/responses',
  tags,
  summary: 'Create a response: run an agent or a model on some input',
  permission: 'responses:write',
  request: {
    ...jsonBody(CreateResponseSchema),
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional(), ...eventViewHeader }),
  },
  responses: {
    200: {
      description:
        'The response (finished, or queued with background), or its event stream with stream: true.',
      content: { 'application/json': { schema: ResponseObjectSchema }, ...sse },
    },
    409: errorContent('The Idempotency-Key was used with a different request.'),
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/responses/{id}',
  tags,
  summary: 'Get a response, or resume its event stream',
  permission: 'responses:read',
  request: {
    params: IdParamSchema,
    query: z.strictObject({
      stream: z.enum(['true', 'false']).optional(),
      starting_after: z.coerce.number().int().min(0).optional(),
      include: z.union([z.string(), z.array(z.string())]).optional(),
      // OpenAI's clients send arrays as `include[]=a&include[]=b`.
      'include[]': z.union([z.string(), z.array(z.string())]).optional(),
    }),
    headers: z.object({ 'last-event-id': z.string().regex(/^\d+$/).optional(), ...eventViewHeader }),
  },
  responses: {
    200: {
      description: 'The response, or its events after starting_after.',
      content: { 'application/json': { schema: ResponseObjectSchema }, ...sse },
    },
  },
});

const cancelRoute = defineRoute({
  method: 'post',
  path: '/v1/responses/{id}/cancel',
  tags,
  summary: 'Cancel a queued or in-progress response',
  permission: 'responses:write',
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(ResponseObjectSchema, 'The cancelled response.'),
    409: errorContent('The response already finished.'),
  },
});

const deleteRoute = defineRoute({
  method: 'delete',
  path: '/v1/responses/{id}',
  tags,
  summary: 'Delete a response and its events (cancelling it first if it runs)',
  permission: 'responses:write',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(DeletedSchema, 'The response was deleted.') },
});

const inputItemsRoute = defineRoute({
  method: 'get',
  path: '/v1/responses/{id}/input_items',
  tags,
  summary: "List a response's input items",
  permission: 'responses:read',
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: { 200: jsonContent(listSchema(ItemSchema, 'ResponseInputItemList'), 'A page of input items.') },
});

/** Cursor pagination of an event log: by sequence number, oldest first unless `order` says otherwise. */
const EventPageQuerySchema = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'A sequence number: list the events after it (before it, with order=desc).' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .openapi({ description: 'How many events, 1 to 1000.' }),
  order: z
    .enum(['asc', 'desc'])
    .default('asc')
    .openapi({ description: 'By sequence number: asc (the default) is the order they happened in.' }),
});

const eventsRoute = defineRoute({
  method: 'get',
  path: '/v1/responses/{id}/events',
  tags,
  summary: "Read a response's event log (its scratchpad of thoughts and actions)",
  permission: 'responses:read',
  request: { params: IdParamSchema, query: EventPageQuerySchema },
  responses: {
    200: jsonContent(
      listSchema(z.record(z.string(), z.unknown()), 'ResponseEventList'),
      'A page of events; `first_id` and `last_id` are sequence numbers.',
    ),
  },
});

export function responseRoutes() {
  return newRouter()
    .openapi(createRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const body = c.req.valid('json');
      const headers = c.req.valid('header');
      const key = headers['idempotency-key'];
      const include = body.include ?? [];
      const origin = new URL(c.req.url).origin;
      const { created, response } = await createResponse(
        services,
        tenantId,
        body,
        key,
        origin,
        principalOf(c),
      );
      if (!created) {
        if (response.requestHash !== hashRequest(body)) {
          throw new AgentdError(
            'conflict',
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request body.',
            { param: 'header.idempotency-key' },
          );
        }
        if (body.stream) return streamEvents(c, response, 0, viewOf(headers), include);
        const shown = body.background
          ? response.snapshot
          : ((await services.runs.wait(response, c.req.raw.signal)) ?? response.snapshot);
        return c.json(withIncludes(shown, include), 200) as never;
      }
      await services.runs.start(response);
      // Followed to its end only when something waits for that: a stream follows the run itself.
      let done: Promise<ResponseObject> | undefined;
      const ended = () => {
        if (done) return done;
        done = services.runs
          .wait(response, undefined, { justStarted: true })
          .then((final) => final ?? response.snapshot);
        done.catch((error) =>
          c
            .get('logger')
            .error({ err: error, response_id: response.id }, 'could not follow the run to its end'),
        );
        return done;
      };
      const forget = (...pending: Promise<unknown>[]) =>
        forgetWhenDone(
          services.responses,
          c.get('logger'),
          { tenantId, id: response.id },
          ended(),
          ...pending,
        );
      if (body.stream) {
        if (body.store !== false) return streamEvents(c, response, 0, viewOf(headers), include, true);
        let streamEnded!: () => void;
        const ended = new Promise<void>((resolve) => {
          streamEnded = resolve;
        });
        const streamed = streamEvents(c, response, 0, viewOf(headers), include, true, streamEnded);
        void forget(ended);
        return streamed as never;
      }
      if (body.background) return c.json(withIncludes(response.snapshot, include), 200) as never;
      const final = await ended();
      if (body.store === false) await forget();
      return c.json(withIncludes(final, include), 200) as never;
    })
    .openapi(getRoute, async (c) => {
      const { responses } = c.get('services');
      const stored = await responses.get(tenantOf(c), c.req.valid('param').id);
      const query = c.req.valid('query');
      const include = [...includeQuery(query.include), ...includeQuery(query['include[]'])];
      checkInclude(include);
      if (query.stream === 'true') {
        const headers = c.req.valid('header');
        const lastEventId = headers['last-event-id'];
        const after = query.starting_after ?? (lastEventId ? Number(lastEventId) : 0);
        return streamEvents(c, stored, after, viewOf(headers), include);
      }
      return c.json(withIncludes(stored.snapshot, include), 200) as never;
    })
    .openapi(cancelRoute, async (c) => {
      const { responses, runs, audit } = c.get('services');
      const stored = await responses.get(tenantOf(c), c.req.valid('param').id);
      // Who asked: the run's own response.cancelled names its creator, whoever stopped it.
      if (!isTerminal(stored.snapshot.status)) {
        await audit.append({
          tenantId: stored.tenantId,
          type: 'response.cancel_requested',
          actor: actorOf(principalOf(c)),
          resource: { type: 'response', id: stored.id },
          data: { response_id: stored.id, status: stored.snapshot.status },
        });
      }
      return c.json(await runs.cancel(stored), 200) as never;
    })
    .openapi(deleteRoute, async (c) => {
      const { responses, runs } = c.get('services');
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      const stored = await responses.get(tenantId, id);
      if (!isTerminal(stored.snapshot.status)) await runs.cancel(stored);
      await responses.delete(tenantId, id);
      return c.json({ id, object: 'response.deleted', deleted: true as const }, 200);
    })
    .openapi(inputItemsRoute, async (c) => {
      const { responses } = c.get('services');
      const page = await responses.listInputItems(tenantOf(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json(page as never, 200);
    })
    .openapi(eventsRoute, async (c) => {
      const { responses } = c.get('services');
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      await responses.get(tenantId, id);
      const page = await responses.eventPage(tenantId, id, c.req.valid('query'));
      return c.json(page as never, 200);
    });
}
