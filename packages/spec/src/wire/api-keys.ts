import { z } from 'zod';
import { ScopesSchema } from './scopes-schema.js';

export const RoleSchema = z.enum(['member', 'admin', 'platform_admin']).meta({
  id: 'Role',
  description: 'member: use the API. admin: also manage API keys. platform_admin: also create tenants.',
});

export const CreateApiKeySchema = z
  .strictObject({
    name: z.string().min(1).max(128),
    role: RoleSchema.default('member'),
    scopes: ScopesSchema.optional().meta({
      description:
        "Limit the key to these scopes (e.g. `responses:write`, `agents:read`, `tools:admin`); absent: the role's full set. See README: Scopes.",
    }),
  })
  .meta({ id: 'CreateApiKeyRequest' });

export const ApiKeySchema = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    name: z.string(),
    role: RoleSchema,
    scopes: z
      .array(z.string())
      .nullable()
      .meta({ description: "The key's scopes; null: the role's full set." }),
    redacted_value: z.string(),
    created_at: z.number().int(),
    last_used_at: z.number().int().nullable(),
  })
  .meta({ id: 'ApiKey' });

/** An API key with its secret (an intersection, so the OpenAPI document shows it as ApiKey plus `value`). */
export const CreatedApiKeySchema = z
  .intersection(
    ApiKeySchema,
    z.object({ value: z.string().meta({ description: 'The secret. Shown only in this response.' }) }),
  )
  .meta({ id: 'CreatedApiKey' });
