import {
  CreateMemorySchema,
  DeletedSchema,
  IdParamSchema,
  MemoryConsentSchema,
  MemoryDeleteQuerySchema,
  MemoryErasedSchema,
  MemoryListQuerySchema,
  MemorySchema,
  MemoryUserQuerySchema,
  SetMemoryConsentSchema,
} from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { AgentdError } from '../errors.js';
import { jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import type { StoredMemory } from './memory-repository.js';

const tags = ['Memories'];

const present = (memory: StoredMemory): z.infer<typeof MemorySchema> => ({
  id: memory.id,
  object: 'memory',
  user: memory.user,
  text: memory.text,
  response_id: memory.responseId,
  created_at: memory.createdAt,
});

const routes = resourceRoutes({
  path: '/v1/memories',
  tags,
  schema: MemorySchema,
  listName: 'MemoryList',
  read: 'memories:read',
  write: 'memories:write',
  noun: 'memory',
  plural: 'memories',
});

const listRoute = routes.list({
  summary: 'List what is remembered about a user',
  query: MemoryListQuerySchema,
});

const createRoute = routes.write('post', '/v1/memories', {
  summary:
    'Remember something about a user (needs their consent; checked like a run’s memory writes, PII filtered)',
  request: jsonBody(CreateMemorySchema),
  responses: { 200: jsonContent(MemorySchema, 'The memory as stored (after PII redaction).') },
});

const deleteRoute = routes.write('delete', '/v1/memories/{id}', {
  summary: 'Erase one memory: its text, its vector and its cached embedding',
  request: { params: IdParamSchema, query: MemoryDeleteQuerySchema },
  responses: { 200: jsonContent(DeletedSchema, 'The memory was erased.') },
});

const eraseUserRoute = routes.write('delete', '/v1/memories', {
  summary: 'Erase everything remembered about a user',
  request: { query: MemoryUserQuerySchema },
  responses: {
    200: jsonContent(MemoryErasedSchema, 'How many memories were erased.'),
  },
});

const getConsentRoute = routes.read('get', '/v1/memories/consent', {
  summary: 'Whether a user has opted in to long-term memory',
  request: { query: MemoryUserQuerySchema },
  responses: { 200: jsonContent(MemoryConsentSchema, 'The user’s choice (off unless they opted in).') },
});

const setConsentRoute = routes.write('post', '/v1/memories/consent', {
  summary: 'Record a user’s opt-in to (or out of) long-term memory',
  request: jsonBody(SetMemoryConsentSchema),
  responses: { 200: jsonContent(MemoryConsentSchema, 'The user’s choice.') },
});

export function memoryRoutes() {
  return newRouter()
    .openapi(getConsentRoute, async (c) => {
      const { user } = c.req.valid('query');
      const enabled = await c.get('services').memories.repository.consent(tenantOf(c), user);
      return c.json({ object: 'memory.consent' as const, user, enabled }, 200);
    })
    .openapi(setConsentRoute, async (c) => {
      const { user, enabled } = c.req.valid('json');
      await c.get('services').memories.repository.setConsent(tenantOf(c), user, enabled);
      return c.json({ object: 'memory.consent' as const, user, enabled }, 200);
    })
    .openapi(listRoute, async (c) => {
      const { user, ...page } = c.req.valid('query');
      const list = await c.get('services').memories.repository.list(tenantOf(c), user, page);
      return c.json({ ...list, data: list.data.map(present) }, 200);
    })
    .openapi(createRoute, async (c) => {
      const { user, text } = c.req.valid('json');
      const tenantId = tenantOf(c);
      // Checked like what a run's memory_save asks to keep: the tenant's `memory` setting (no agent here).
      const checked = await c.get('services').safety.memoryGuard(tenantId, undefined)(text, c.req.raw.signal);
      if ('refused' in checked) {
        throw new AgentdError('invalid_request', 'memory_refused', checked.refused, { param: 'text' });
      }
      const outcome = await c.get('services').memories.save(tenantId, user, checked.text);
      if ('refused' in outcome) {
        throw new AgentdError('invalid_request', 'memory_refused', outcome.refused, { param: 'text' });
      }
      return c.json(present(outcome.saved), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param');
      await c.get('services').memories.erase(tenantOf(c), id, c.req.valid('query').user);
      return c.json(deleted(id, 'memory.deleted'), 200);
    })
    .openapi(eraseUserRoute, async (c) => {
      const { user } = c.req.valid('query');
      const deleted = await c.get('services').memories.eraseUser(tenantOf(c), user);
      return c.json({ object: 'memory.erased' as const, user, deleted }, 200);
    });
}
