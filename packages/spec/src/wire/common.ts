import { z } from 'zod';

/**
 * Printable text: no control characters (NUL first of all, which PostgreSQL
 * refuses in `text` and `jsonb`), no format characters (right-to-left
 * overrides, zero-width marks) and no lone surrogates (not UTF-8). Ids,
 * cursors and names never hold them, so a request that does is refused
 * before it reaches a query.
 */
export const PRINTABLE_PATTERN = /^[^\p{Cc}\p{Cf}\p{Cs}]*$/u;
const PRINTABLE_MESSAGE = 'must be printable text (no control or format characters, no lone surrogates)';

/** A string of 1 to `max` printable characters: an id, a cursor or a name. */
export function printableString(max: number) {
  // The pattern is given whole: the OpenAPI generator would print the `u` flag into it. JSON Schema
  // patterns are read with Unicode semantics, so `\p{...}` means there what it means here.
  return z
    .string()
    .min(1)
    .max(max)
    .regex(PRINTABLE_PATTERN, PRINTABLE_MESSAGE)
    .meta({ pattern: PRINTABLE_PATTERN.source });
}

/** The longest id or cursor agentd accepts; its own ids are far shorter. */
export const MAX_ID_LENGTH = 200;

/**
 * An object id in the path. A value that cannot be an id fails here, before
 * any query, and is answered like an unknown id: 404 naming the parameter
 * (see validationError).
 */
export function pathIdSchema(name: string) {
  return printableString(MAX_ID_LENGTH).meta({ param: { name, in: 'path' } });
}

/** Cursor pagination, shared by every list route. */
export const PageQuerySchema = z.strictObject({
  after: printableString(MAX_ID_LENGTH)
    .optional()
    .meta({ description: 'An object id: list the objects after it.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: 'How many objects, 1 to 100.' }),
  order: z.enum(['asc', 'desc']).default('desc').meta({ description: 'Sort order by creation time.' }),
});

/** Set-of-key-value-pairs metadata, with the OpenAI limits: 16 keys, 64-character keys, 512-character values. */
export const MetadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(512))
  .refine((value) => Object.keys(value).length <= 16, { message: 'at most 16 metadata keys' })
  .meta({ id: 'Metadata', description: 'Up to 16 key-value pairs of strings.' });

export const IdParamSchema = z.strictObject({ id: pathIdSchema('id') });

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.string(),
      code: z.string(),
      message: z.string(),
      param: z.string().nullable(),
    }),
  })
  .meta({ id: 'Error' });

export const DeletedSchema = z
  .object({ id: z.string(), object: z.string(), deleted: z.literal(true) })
  .meta({ id: 'Deleted' });

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      first_id: z.string().nullable(),
      last_id: z.string().nullable(),
      has_more: z.boolean(),
    })
    .meta({ id: name });
}
