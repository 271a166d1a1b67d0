import { z } from 'zod';
export const ModelSchema = z
  .object({
    id: z.string().meta({ description: 'A model name, or `agent:<name>` for an agent of the tenant.' }),
    object: z.literal('model'),
    created: z.number().int(),
    owned_by: z.string(),
  })
  .meta({ id: 'Model' });

export const ModelListSchema = z
  .object({ object: z.literal('list'), data: z.array(ModelSchema) })
  .meta({ id: 'ModelList' });
