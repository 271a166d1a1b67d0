import { z } from 'zod';
import { PageQuerySchema, printableString } from './common.js';

export const MemorySchema = z
  .object({
    id: z.string(),
    object: z.literal('memory'),
    user: z.string(),
    text: z.string(),
    response_id: z.string().nullable(),
    created_at: z.number().int(),
  })
  .meta({ id: 'Memory' });

export const MemoryConsentSchema = z
  .object({ object: z.literal('memory.consent'), user: z.string(), enabled: z.boolean() })
  .meta({ id: 'MemoryConsent' });

/** The end user a memory is about, as the request names them. */
export const MemoryUserSchema = printableString(256).meta({
  description: 'The end user, as your application names them (the `user` of a response).',
});

export const MemoryListQuerySchema = PageQuerySchema.extend({ user: MemoryUserSchema });
export const CreateMemorySchema = z.strictObject({
  user: MemoryUserSchema,
  text: z.string().min(1).max(4000),
});
export const MemoryDeleteQuerySchema = z.strictObject({ user: MemoryUserSchema.optional() });
export const MemoryUserQuerySchema = z.strictObject({ user: MemoryUserSchema });
export const MemoryErasedSchema = z.object({
  object: z.literal('memory.erased'),
  user: z.string(),
  deleted: z.number().int(),
});
export const SetMemoryConsentSchema = z.strictObject({ user: MemoryUserSchema, enabled: z.boolean() });
