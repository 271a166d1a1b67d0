import { z } from 'zod';

/** The answer of POST /v1/moderations, in OpenAI's moderation shape. */
export const ModerationSchema = z
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
  .meta({ id: 'Moderation' });

const TextSchema = z.string().max(100_000, { message: 'expected at most 100,000 characters' });

export const CreateModerationSchema = z.strictObject({
  input: z.union([TextSchema, z.array(TextSchema).min(1).max(32)], {
    message: 'expected a string or an array of 1 to 32 strings',
  }),
  model: z.string().max(200).optional(),
});
