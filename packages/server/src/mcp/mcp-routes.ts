import { McpBodySchema, McpSessionHeadersSchema } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { defineRoute, errorContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { createMcpServer } from './mcp-server.js';
import { McpSessions } from './mcp-sessions.js';

const tags = ['MCP'];
const IDLE_MS = 30 * 60_000;
const MAX_SESSIONS = 1_000;

const sessionRequired = {
  400: errorContent('No session: send an `initialize` request first (`mcp_session_required`).'),
  404: errorContent('The session is closed, expired, or belongs to another credential.'),
};
const description =
  "agentd as an MCP server (Streamable HTTP, session mode; README: agentd as an MCP server). `tools/list` shows the caller's agents (with agents:read) and registered tools (with tools:read); calling an agent runs it (responses:write) and returns its answer, with progress notifications and cancellation.";

const postRoute = defineRoute({
  method: 'post',
  path: '/mcp',
  tags,
  summary: 'Send an MCP message (initialize, tools/list, tools/call, notifications)',
  description,
  permission: 'mcp:read',
  request: {
    headers: McpSessionHeadersSchema,
    body: {
      content: {
        'application/json': { schema: McpBodySchema },
      },
      required: true,
    },
  },
  responses: {
    200: {
      description: 'The answer, as JSON or as a stream of server-sent events (progress, then the result).',
      content: {
        'application/json': { schema: z.record(z.string(), z.unknown()) },
        'text/event-stream': { schema: z.string() },
      },
    },
    202: { description: 'A notification or a response was accepted.' },
    ...sessionRequired,
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/mcp',
  tags,
  summary: "Open the session's stream of server-sent messages",
  permission: 'mcp:read',
  request: { headers: McpSessionHeadersSchema },
  responses: {
    200: { description: 'Server-sent events.', content: { 'text/event-stream': { schema: z.string() } } },
    ...sessionRequired,
  },
});

const deleteRoute = defineRoute({
  method: 'delete',
  path: '/mcp',
  tags,
  summary: 'Close an MCP session',
  permission: 'mcp:read',
  request: { headers: McpSessionHeadersSchema },
  responses: { 200: { description: 'The session is closed.' }, ...sessionRequired },
});

/** POST, GET and DELETE /mcp: the MCP endpoint, authenticated like the API. */
export function mcpRoutes(version: string) {
  let sessions: McpSessions | undefined;
  const handle = (c: Context<AppEnv>, body: unknown) => {
    const services = c.get('services');
    sessions ??= new McpSessions({
      createServer: () => createMcpServer(services, version),
      logger: services.logger,
      idleMs: IDLE_MS,
      max: MAX_SESSIONS,
    });
    const request = c.req.raw;
    const token = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    return sessions.handle(
      request,
      body,
      { principal: principalOf(c), origin: new URL(c.req.url).origin, closed: request.signal },
      token,
    );
  };
  return newRouter()
    .openapi(postRoute, (c) => handle(c, c.req.valid('json')) as never)
    .openapi(getRoute, (c) => handle(c, undefined) as never)
    .openapi(deleteRoute, (c) => handle(c, undefined) as never);
}
