import { IdParamSchema, ModelListSchema, ModelSchema } from '@agentd/spec/wire';
import { defineRoute, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { findModel, listModels } from './model-catalog.js';

const tags = ['Models'];

const listRoute = defineRoute({
  method: 'get',
  path: '/v1/models',
  tags,
  summary: 'List the models and agents a request may name as `model`',
  permission: 'responses:read',
  responses: {
    200: jsonContent(ModelListSchema, 'The configured models, then every agent as `agent:<name>`.'),
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/models/{id}',
  tags,
  summary: 'Get a model or an agent (`agent:<name>`)',
  permission: 'responses:read',
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(ModelSchema, 'The model.') },
});

/** OpenAI's Models API, so that chat applications can list agentd's models and agents. */
export function modelRoutes() {
  return newRouter()
    .openapi(listRoute, async (c) =>
      c.json({ object: 'list' as const, data: await listModels(c.get('services'), tenantOf(c)) }, 200),
    )
    .openapi(getRoute, async (c) =>
      c.json(await findModel(c.get('services'), tenantOf(c), c.req.valid('param').id), 200),
    );
}
