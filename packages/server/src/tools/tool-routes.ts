import type { ToolManifest } from '@agentd/spec';
import { ToolManifestBodySchema, ToolSchema } from '@agentd/spec/wire';
import { formatProblems, TOOL_MANIFEST_SCHEMA, validateManifest } from '@agentd/tools-gateway';
import { z } from '@hono/zod-openapi';
import { auditedWrite } from '../audit/audited-write.js';
import { AgentdError } from '../errors.js';
import { errorContent, jsonContent } from '../http/define-route.js';
import { principalOf, tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import type { Services } from '../services.js';
import { type ListSegment, memorySegment, pageAcross } from '../storage/pagination.js';
import { findServerWide, isServerWideId, readOnlyTool } from './read-only-tools.js';
import type { StoredTool } from './tool-repository.js';
import { ToolRepository } from './tool-repository.js';
import type { ToolSummary } from './tool-service.js';

const tags = ['Tools'];
type Tool = z.infer<typeof ToolSchema>;

const routes = resourceRoutes({
  path: '/v1/tools',
  tags,
  schema: ToolSchema,
  listName: 'ToolList',
  read: 'tools:read',
  write: 'tools:write',
  noun: 'tool',
});

const schemaRoute = routes.read('get', '/v1/tools/manifest-schema', {
  summary: 'The JSON Schema of a tool manifest',
  responses: { 200: jsonContent(z.record(z.string(), z.unknown()), 'The manifest JSON Schema.') },
});

const READ_ONLY = errorContent(
  'The tool comes from the tool directory or is built in: it is read-only through the API.',
);

const createRoute = routes.create({
  summary: 'Register a tool in your tenant',
  body: ToolManifestBodySchema,
  description: 'The registered tool.',
  responses: { 409: errorContent('The name is taken.') },
});
const listRoute = routes.list({
  summary: 'List the tools your tenant can use: its own, the tool directory’s and the built-ins',
  description:
    'A page of tools. The tool directory’s and the built-ins (`dir:<name>`, `builtin:<name>`, no `created_at`) count as older than every registered tool: with the default order=desc they come after them, sorted by id.',
});
const getRoute = routes.get({
  summary:
    'Get a tool: a registered one, or one of the tool directory (`dir:<name>`) or the built-ins (`builtin:<name>`)',
});
const updateRoute = routes.update({
  method: 'patch',
  summary: "Change a registered tool's manifest (fields given replace the stored ones)",
  body: ToolManifestBodySchema,
  responses: { 409: READ_ONLY },
});
const deleteRoute = routes.delete({
  summary: 'Remove a registered tool',
  description: 'The tool was removed.',
  responses: { 409: READ_ONLY },
});

/** A manifest from a request, validated; a stdio MCP server runs a command on this host, so only platform admins may register one. */
function checkManifest(value: unknown, role: string): ToolManifest {
  const check = validateManifest(value);
  if (!check.ok) {
    throw new AgentdError(
      'invalid_request',
      'invalid_manifest',
      `Invalid tool manifest: ${formatProblems(check.problems)}`,
      {
        param: check.problems[0]?.field || null,
      },
    );
  }
  const adapter = check.manifest.adapter;
  if (adapter.type === 'mcp' && adapter.transport === 'stdio' && role !== 'platform_admin') {
    throw new AgentdError(
      'permission',
      'stdio_mcp_not_allowed',
      'An MCP server over stdio runs a command on the agentd host: only a platform admin may register one (or put it in the tool directory).',
      { param: 'adapter.transport' },
    );
  }
  return check.manifest;
}

/** A registered tool as the API shows it; `summaries` is the tenant's `describe` (read once per request). */
function present(stored: StoredTool, summaries: ToolSummary[]): Tool {
  const summary = summaries.find((entry) => entry.source === 'api' && entry.name === stored.name);
  return {
    id: stored.id,
    object: 'tool' as const,
    name: stored.name,
    source: 'api' as const,
    manifest: stored.manifest as unknown as Record<string, unknown>,
    tools: summary?.tools ?? [],
    health: summary?.health ?? ('unavailable' as const),
    created_at: stored.created_at,
    updated_at: stored.updated_at,
  };
}

/** A tool every tenant sees (tool directory, built-ins), as the API shows it. */
function presentServerWide(summary: ToolSummary): Tool {
  return {
    id: `${summary.source}:${summary.name}`,
    object: 'tool',
    name: summary.name,
    source: summary.source,
    manifest: summary.manifest as unknown as Record<string, unknown>,
    tools: summary.tools,
    health: summary.health,
    created_at: null,
    updated_at: null,
  };
}

async function probe(services: Services, tenantId: string, manifest: ToolManifest): Promise<void> {
  try {
    await services.tools.probe(tenantId, manifest);
  } catch (error) {
    throw new AgentdError(
      'invalid_request',
      'tool_unavailable',
      `The tool could not be loaded: ${(error as Error).message}`,
      {
        param: 'adapter',
      },
    );
  }
}

export function toolRoutes() {
  return newRouter()
    .openapi(schemaRoute, (c) => c.json(TOOL_MANIFEST_SCHEMA, 200))
    .openapi(createRoute, async (c) => {
      const services = c.get('services');
      const principal = principalOf(c);
      const manifest = checkManifest(c.req.valid('json'), principal.role);
      await probe(services, principal.tenantId, manifest);
      const stored = await auditedWrite(
        c,
        (db) => new ToolRepository(db).create(principal.tenantId, manifest),
        (tool) => toolEvent('tool.created', tool),
      );
      return c.json(present(stored, await services.tools.describe(principal.tenantId)), 200);
    })
    .openapi(listRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const page = c.req.valid('query');
      const summaries = await services.tools.describe(tenantId);
      const registered: ListSegment<Tool> = {
        owns: (cursor) => !isServerWideId(cursor),
        async page(after, limit) {
          const stored = await services.toolRepository.list(tenantId, { after, limit, order: page.order });
          return { data: stored.data.map((tool) => present(tool, summaries)), has_more: stored.has_more };
        },
      };
      const serverWide = memorySegment(
        summaries.filter((summary) => summary.source !== 'api').map(presentServerWide),
        page.order,
        (tool) => tool.id,
        isServerWideId,
      );
      // Server-wide tools have no creation time: they come before every registered tool in time order.
      const segments = page.order === 'asc' ? [serverWide, registered] : [registered, serverWide];
      return c.json(await pageAcross(segments, page, (tool) => tool.id), 200);
    })
    .openapi(getRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      if (isServerWideId(id))
        return c.json(presentServerWide(findServerWide(await services.tools.describe(tenantId), id)), 200);
      const stored = await services.toolRepository.get(tenantId, id);
      return c.json(present(stored, await services.tools.describe(tenantId)), 200);
    })
    .openapi(updateRoute, async (c) => {
      const services = c.get('services');
      const principal = principalOf(c);
      const { id } = c.req.valid('param');
      if (isServerWideId(id))
        throw readOnlyTool(findServerWide(await services.tools.describe(principal.tenantId), id), 'changed');
      const current = await services.toolRepository.get(principal.tenantId, id);
      const manifest = checkManifest({ ...current.manifest, ...c.req.valid('json') }, principal.role);
      await probe(services, principal.tenantId, manifest);
      const stored = await auditedWrite(
        c,
        (db) => new ToolRepository(db).update(principal.tenantId, id, manifest),
        (tool) => toolEvent('tool.updated', tool),
      );
      return c.json(present(stored, await services.tools.describe(principal.tenantId)), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const { id } = c.req.valid('param');
      if (isServerWideId(id))
        throw readOnlyTool(findServerWide(await services.tools.describe(tenantId), id), 'deleted');
      await auditedWrite(
        c,
        (db) => new ToolRepository(db).delete(tenantId, id),
        (tool) => toolEvent('tool.deleted', tool),
      );
      await services.tools.syncTenant(tenantId);
      return c.json(deleted(id, 'tool.deleted'), 200);
    });
}

/** A tool change as the audit log records it: which tool and how it is reached (its manifest may name secrets: not kept). */
function toolEvent(type: string, tool: StoredTool) {
  return {
    type,
    resource: { type: 'tool', id: tool.id },
    data: { id: tool.id, name: tool.manifest.name, adapter: tool.manifest.adapter.type },
  };
}
