import {
  DeletedSchema,
  IdParamSchema,
  listSchema,
  PageQuerySchema,
  type Permission,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { defineRoute, type errorContent, jsonBody, jsonContent } from './define-route.js';

/** What differs between two resources' routes of one kind: what they are called and who may call them. */
interface Operation {
  summary: string;
  permission: Permission;
  /** What the 200 answer holds. */
  description: string;
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
 * declaration with the path, parameters and schemas filled in from the
 * resource, so only what differs is written where it is used.
 */
export function resourceRoutes<const P extends string, T extends z.ZodType>(resource: {
  path: P;
  tags: string[];
  /** The resource as the API shows it. */
  schema: T;
  /** The OpenAPI name of a page of them, e.g. `AgentList`. */
  listName: string;
}) {
  const { path, tags, schema } = resource;
  const one = `${path}/{id}` as const;
  return {
    /** `query` replaces the plain page query where a list takes filters too. */
    list: <Q extends z.ZodObject = typeof PageQuerySchema>({
      summary,
      permission,
      description,
      query,
    }: Operation & { query?: Q }) =>
      defineRoute({
        method: 'get',
        path,
        tags,
        summary,
        permission,
        request: { query: (query ?? PageQuerySchema) as Q },
        responses: { 200: jsonContent(listSchema(schema, resource.listName), description) },
      }),
    get: ({ summary, permission, description }: Operation) =>
      defineRoute({
        method: 'get',
        path: one,
        tags,
        summary,
        permission,
        request: { params: IdParamSchema },
        responses: { 200: jsonContent(schema, description) },
      }),
    create: <B extends z.ZodType, M extends MoreResponses = Record<never, never>>(op: WriteOperation<B, M>) =>
      defineRoute({
        method: 'post',
        path,
        tags,
        summary: op.summary,
        permission: op.permission,
        request: jsonBody(op.body),
        responses: { 200: jsonContent(schema, op.description), ...(op.responses as M) },
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
        permission: op.permission,
        request: { params: IdParamSchema, ...jsonBody(op.body) },
        responses: { 200: jsonContent(schema, op.description), ...(op.responses as M) },
      }),
    delete: <M extends MoreResponses = Record<never, never>>({
      responses,
      ...op
    }: Operation & { responses?: M }) =>
      defineRoute({
        method: 'delete',
        path: one,
        tags,
        summary: op.summary,
        permission: op.permission,
        request: { params: IdParamSchema },
        responses: { 200: jsonContent(DeletedSchema, op.description), ...(responses as M) },
      }),
  };
}
