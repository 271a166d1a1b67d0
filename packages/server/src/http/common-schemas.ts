import { z } from '@hono/zod-openapi';

/** Cursor pagination, shared by every list route. */
export const PageQuerySchema = z.strictObject({
  after: z.string().min(1).optional().openapi({ description: 'An object id: list the objects after it.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ description: 'How many objects, 1 to 100.' }),
  order: z.enum(['asc', 'desc']).default('desc').openapi({ description: 'Sort order by creation time.' }),
});

/** Set-of-key-value-pairs metadata, with the OpenAI limits: 16 keys, 64-character keys, 512-character values. */
export const MetadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, { message: 'at most 16 metadata keys' })
  .openapi('Metadata', { description: 'Up to 16 key-value pairs of strings.' });

export const IdParamSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.string(),
      code: z.string(),
      message: z.string(),
      param: z.string().nullable(),
    }),
  })
  .openapi('Error');

export const DeletedSchema = z
  .object({ id: z.string(), object: z.string(), deleted: z.literal(true) })
  .openapi('Deleted');

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
      has_more: z.boolean(),
    })
    .openapi(name);
}
