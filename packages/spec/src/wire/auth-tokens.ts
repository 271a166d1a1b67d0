import { z } from 'zod';
import { ScopesSchema } from './scopes-schema.js';

/** A session token, as POST /v1/auth/token and a sign-in through the identity provider answer it. */
export const AuthTokenSchema = z
  .object({
    object: z.literal('auth.token'),
    token: z
      .string()
      .meta({ description: 'A PASETO v4.public token: send it as Authorization: Bearer <token>.' }),
    token_type: z.literal('bearer'),
    expires_at: z.number().int().meta({ description: 'Unix seconds.' }),
    expires_in: z.number().int(),
    tenant_id: z.string(),
    role: z.string(),
    scopes: z.array(z.string()).nullable().meta({ description: "null: the role's full set." }),
  })
  .meta({ id: 'AuthToken' });

export const CreateAuthTokenSchema = z
  .strictObject({
    expires_in: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .optional()
      .meta({ description: 'Lifetime in seconds; default and maximum AGENTD_SESSION_TOKEN_TTL_SECONDS.' }),
    scopes: ScopesSchema.optional().meta({
      description: "Narrow the token to these scopes; they must be within the credential's own.",
    }),
  })
  .meta({ id: 'CreateAuthTokenRequest' });

/** GET /v1/auth/oidc's query: whose identity provider a person signs in through. */
export const OidcLoginQuerySchema = z.object({
  tenant: z.string().max(200).optional().meta({
    description: 'The tenant (its name or id) whose provider to use; absent: the platform-wide provider.',
  }),
});

export const OidcLoginProviderSchema = z
  .object({
    object: z.literal('auth.oidc_provider'),
    issuer: z.string(),
    authorization_endpoint: z.string(),
    client_id: z.string().meta({ description: "The OAuth client: the provider's configured audience." }),
    scope: z.string(),
  })
  .meta({ id: 'OidcLoginProvider' });

export const OidcCodeExchangeSchema = z
  .strictObject({
    tenant: z.string().max(200).optional(),
    code: z.string().min(1).max(4096),
    code_verifier: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{43,128}$/, 'a PKCE code verifier (RFC 7636: 43 to 128 characters)'),
    redirect_uri: z.string().url().max(2000),
    nonce: z.string().min(16).max(200),
  })
  .meta({ id: 'OidcCodeExchangeRequest' });
