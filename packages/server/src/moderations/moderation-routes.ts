import { randomUUID } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { newRouter } from '../http/router.js';
import { MODERATION_MODEL, moderationPipeline, toModerationResult } from './moderation-pipeline.js';

const tags = ['Moderations'];

const ModerationSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    results: z.array(
      z.object({
        flagged: z.boolean(),
        categories: z.record(z.string(), z.boolean()),
        category_scores: z.record(z.string(), z.number()),
      }),
    ),
  })
  .openapi('Moderation');

const TextSchema = z.string().max(100_000, { message: 'expected at most 100,000 characters' });

const createRoute = defineRoute({
  method: 'post',
  path: '/v1/moderations',
  tags,
  summary: 'Classify texts with the safety pipeline (rules and classifier), in OpenAI’s moderation shape',
  permission: 'responses:write',
  request: jsonBody(
    z.strictObject({
      input: z.union([TextSchema, z.array(TextSchema).min(1).max(32)], {
        message: 'expected a string or an array of 1 to 32 strings',
      }),
      model: z.string().max(200).optional(),
    }),
  ),
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
