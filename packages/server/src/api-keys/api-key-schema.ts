import { z } from '@hono/zod-openapi';
import { ScopesSchema } from '../http/scope-schema.js';

export const RoleSchema = z.enum(['member', 'admin', 'platform_admin']).openapi('Role', {
  description: 'member: use the API. admin: also manage API keys. platform_admin: also create tenants.',
});

export const CreateApiKeySchema = z
  .strictObject({
    name: z.string().min(1).max(128),
    role: RoleSchema.default('member'),
    scopes: ScopesSchema.optional().openapi({
      description:
        "Limit the key to these scopes (e.g. `responses:write`, `agents:read`, `tools:admin`); absent: the role's full set. See README: Scopes.",
    }),
  })
  .openapi('CreateApiKeyRequest');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    name: z.string(),
    role: RoleSchema,
    scopes: z
      .array(z.string())
      .nullable()
      .openapi({ description: "The key's scopes; null: the role's full set." }),
    redacted_value: z.string(),
    created_at: z.number().int(),
    last_used_at: z.number().int().nullable(),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  value: z.string().openapi({ description: 'The secret. Shown only in this response.' }),
}).openapi('CreatedApiKey');
