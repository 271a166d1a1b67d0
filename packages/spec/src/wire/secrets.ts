import { z } from 'zod';
export const SecretSchema = z
  .object({
    id: z.string(),
    object: z.literal('secret'),
    name: z.string(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .meta({ id: 'Secret' });
