import { randomUUID } from 'node:crypto';
import { CreateModerationSchema, ModerationSchema } from '@agentd/spec/wire';
import { jsonBody, jsonContent } from '../http/define-route.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';
import { MODERATION_MODEL, moderationPipeline, toModerationResult } from './moderation-pipeline.js';

const routes = routeGroup({ tags: ['Moderations'], read: 'responses:read', write: 'responses:write' });

const createRoute = routes.write('post', '/v1/moderations', {
  summary: 'Classify texts with the safety pipeline (rules and classifier), in OpenAI’s moderation shape',
  request: jsonBody(CreateModerationSchema),
  responses: { 200: jsonContent(ModerationSchema, 'One result per input, in order.') },
});

export function moderationRoutes() {
  return newRouter().openapi(createRoute, async (c) => {
    const { input } = c.req.valid('json');
    const texts = typeof input === 'string' ? [input] : input;
    const pipeline = moderationPipeline();
    const results = [];
    for (const text of texts)
      results.push(toModerationResult(await pipeline.check({ text, surface: 'user_input' })));
    return c.json({ id: `modr-${randomUUID().replaceAll('-', '')}`, model: MODERATION_MODEL, results }, 200);
  });
}
