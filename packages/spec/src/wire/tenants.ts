import { z } from 'zod';
import { MetadataSchema } from './common.js';
export const TenantSchema = z
  .object({
    id: z.string(),
    object: z.literal('tenant'),
    name: z.string(),
    metadata: MetadataSchema,
    created_at: z.number().int(),
  })
  .meta({ id: 'Tenant' });
