import {
  DeletedSchema,
  IdParamSchema,
  listSchema,
  PageQuerySchema,
  type Permission,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { defineRoute, type errorContent, jsonBody, jsonContent } from './define-route.js';
import { routeGroup } from './route-group.js';

/** What differs between two resources' routes of one kind: what they are called. */
interface Operation {
  summary: string;
  /** What the 200 answer holds, where it says more than the standard words ("The agent.", "A page of agents."). */
  description?: string;
}

/** Answers a route gives beyond the 200 and the standard errors (a 409 on a taken name, say). */
type MoreResponses = Record<number, ReturnType<typeof errorContent>>;

interface WriteOperation<B extends z.ZodType, M extends MoreResponses> extends Operation {
  body: B;
  responses?: M;
}

/**
 * The routes a resource at `path` takes the way every resource does: a page
 * of them, one by `{id}`, create, update and delete. Each is a `defineRoute`
 * declaration with the path, parameters, schemas, permission (`read` for the
 * list and get, `write` for the changes) and standard descriptions filled in
 * from the resource, so only what differs is written where it is used.
 */
export function resourceRoutes<const P extends string, T extends z.ZodType>(resource: {
  path: P;
  tags: string[];
  /** The resource as the API shows it. */
  schema: T;
  /** The OpenAPI name of a page of them, e.g. `AgentList`. */
  listName: string;
  read: Permission;
  write: Permission;
  /** One of them in the descriptions (`vector store`); `plural` when it is not `noun` + s. */
  noun: string;
  plural?: string;
}) {
  const { path, tags, schema, read, write, noun } = resource;
  const one = `${path}/{id}` as const;
  const theOne = `The ${noun}.`;
  return {
    /** The resource's other routes (its versions, items, files), declared with its tag and permissions. */
    ...routeGroup(resource),
    /** `query` replaces the plain page query where a list takes filters too. */
    list: <Q extends z.ZodObject = typeof PageQuerySchema>({
      summary,
      description,
      query,
    }: Operation & { query?: Q }) =>
      defineRoute({
        method: 'get',
        path,
        tags,
        summary,
        permission: read,
        request: { query: (query ?? PageQuerySchema) as Q },
        responses: {
          200: jsonContent(
            listSchema(schema, resource.listName),
            description ?? `A page of ${resource.plural ?? `${noun}s`}.`,
          ),
        },
      }),
    get: ({ summary, description }: Operation) =>
      defineRoute({
        method: 'get',
        path: one,
        tags,
        summary,
        permission: read,
        request: { params: IdParamSchema },
        responses: { 200: jsonContent(schema, description ?? theOne) },
      }),
    /** `answer` replaces the resource's schema where creating one answers more (a key's secret, shown once). */
    create: <B extends z.ZodType, M extends MoreResponses = Record<never, never>, A extends z.ZodType = T>(
      op: WriteOperation<B, M> & { answer?: A },
    ) =>
      defineRoute({
        method: 'post',
        path,
        tags,
        summary: op.summary,
        permission: write,
        request: jsonBody(op.body),
        responses: {
          200: jsonContent((op.answer ?? schema) as A, op.description ?? theOne),
          ...(op.responses as M),
        },
      }),
    update: <
      const Method extends 'post' | 'patch',
      B extends z.ZodType,
      M extends MoreResponses = Record<never, never>,
    >(
      op: WriteOperation<B, M> & { method: Method },
    ) =>
      defineRoute({
        method: op.method,
        path: one,
        tags,
        summary: op.summary,
        permission: write,
        request: { params: IdParamSchema, ...jsonBody(op.body) },
        responses: { 200: jsonContent(schema, op.description ?? theOne), ...(op.responses as M) },
      }),
    delete: <M extends MoreResponses = Record<never, never>>({
      summary,
      description,
      responses,
    }: Operation & { responses?: M }) =>
      defineRoute({
        method: 'delete',
        path: one,
        tags,
        summary,
        permission: write,
        request: { params: IdParamSchema },
        responses: {
          200: jsonContent(DeletedSchema, description ?? `The ${noun} was deleted.`),
          ...(responses as M),
        },
      }),
  };
}

/** What a delete answers: the id, `object` (e.g. `agent.deleted`) and `deleted: true`. */
export function deleted<const O extends string>(id: string, object: O) {
  return { id, object, deleted: true as const };
}
