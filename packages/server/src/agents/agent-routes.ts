import {
  AgentSchema,
  AgentVersionSchema,
  CreateAgentSchema,
  IdParamSchema,
  listSchema,
  PageQuerySchema,
  UpdateAgentSchema,
} from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { auditedWrite } from '../audit/audited-write.js';
import { errorContent, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import { checkInlineFunctionTools } from '../tools/function-parameters.js';
import { AgentRepository } from './agent-repository.js';

const tags = ['Agents'];

const VersionParamSchema = IdParamSchema.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

const routes = resourceRoutes({
  path: '/v1/agents',
  tags,
  schema: AgentSchema,
  listName: 'AgentList',
  read: 'agents:read',
  write: 'agents:write',
  noun: 'agent',
});

const createAgent = routes.create({
  summary: 'Create an agent',
  body: CreateAgentSchema,
  description: 'The agent, at version 1.',
  responses: { 409: errorContent('An agent with that name exists.') },
});
const listAgents = routes.list({ summary: 'List agents' });
const getAgent = routes.get({ summary: 'Get an agent', description: 'The agent at its latest version.' });
const updateAgent = routes.update({
  method: 'patch',
  summary: 'Update an agent (creates a new version)',
  body: UpdateAgentSchema,
  description: 'The agent at its new version.',
});
const deleteAgent = routes.delete({ summary: 'Delete an agent and its versions' });

const listVersions = routes.read('get', '/v1/agents/{id}/versions', {
  summary: "List an agent's versions",
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: { 200: jsonContent(listSchema(AgentVersionSchema, 'AgentVersionList'), 'A page of versions.') },
});

const getVersion = routes.read('get', '/v1/agents/{id}/versions/{version}', {
  summary: 'Get one version of an agent',
  request: { params: VersionParamSchema },
  responses: { 200: jsonContent(AgentVersionSchema, 'The agent as it was at that version.') },
});

export function agentRoutes() {
  return newRouter()
    .openapi(createAgent, async (c) => {
      const body = c.req.valid('json');
      checkInlineFunctionTools(body.tools);
      const agent = await auditedWrite(
        c,
        (db) => new AgentRepository(db).create(tenantOf(c), body),
        (created) => agentEvent('agent.created', created, body),
      );
      return c.json(agent, 200);
    })
    .openapi(listAgents, async (c) => {
      const { agents } = c.get('services');
      return c.json(await agents.list(tenantOf(c), c.req.valid('query')), 200);
    })
    .openapi(getAgent, async (c) => {
      const { agents } = c.get('services');
      return c.json(await agents.get(tenantOf(c), c.req.valid('param').id), 200);
    })
    .openapi(updateAgent, async (c) => {
      const body = c.req.valid('json');
      checkInlineFunctionTools(body.tools);
      const agent = await auditedWrite(
        c,
        (db) => new AgentRepository(db).update(tenantOf(c), c.req.valid('param').id, body),
        (updated) => agentEvent('agent.updated', updated, body),
      );
      return c.json(agent, 200);
    })
    .openapi(deleteAgent, async (c) => {
      const { id } = c.req.valid('param');
      await auditedWrite(
        c,
        (db) => new AgentRepository(db).delete(tenantOf(c), id),
        () => ({ type: 'agent.deleted', resource: { type: 'agent', id }, data: { id } }),
      );
      return c.json(deleted(id, 'agent.deleted'), 200);
    })
    .openapi(listVersions, async (c) => {
      const { agents } = c.get('services');
      return c.json(
        await agents.listVersions(tenantOf(c), c.req.valid('param').id, c.req.valid('query')),
        200,
      );
    })
    .openapi(getVersion, async (c) => {
      const { agents } = c.get('services');
      const { id, version } = c.req.valid('param');
      return c.json(await agents.getVersion(tenantOf(c), id, version), 200);
    });
}

/** An agent change as the audit log records it: which agent, its version after, and the fields sent. */
function agentEvent(type: string, agent: { id: string; name: string; version: number }, changes: object) {
  return {
    type,
    resource: { type: 'agent', id: agent.id },
    data: { id: agent.id, name: agent.name, version: agent.version, changes },
  };
}
