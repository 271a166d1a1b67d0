import { IdParamSchema, ModelListSchema, ModelSchema } from '@agentd/spec/wire';
import { jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';
import { findModel, listModels } from './model-catalog.js';

const routes = routeGroup({ tags: ['Models'], read: 'responses:read', write: 'responses:write' });

const listRoute = routes.read('get', '/v1/models', {
  summary: 'List the models and agents a request may name as `model`',
  responses: {
    200: jsonContent(ModelListSchema, 'The configured models, then every agent as `agent:<name>`.'),
  },
});

const getRoute = routes.read('get', '/v1/models/{id}', {
  summary: 'Get a model or an agent (`agent:<name>`)',
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
