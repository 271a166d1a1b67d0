import { z } from 'zod';
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
