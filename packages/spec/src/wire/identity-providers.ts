import { z } from 'zod';

const claimName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s.][^\s]*$/, 'a claim name, or a dotted path into nested claims (realm_access.roles)');

export const ClaimMappingSchema = z
  .strictObject({
    user: claimName.default('sub').meta({ description: 'The claim naming the end user. Default `sub`.' }),
    roles: claimName
      .default('roles')
      .meta({ description: 'The claim holding the user’s roles (a string or a list). Default `roles`.' }),
    groups: claimName
      .default('groups')
      .meta({ description: 'The claim holding the user’s groups, for policies. Default `groups`.' }),
    scopes: claimName.default('scope').meta({
      description:
        'The claim holding scopes (space-separated, or a list). Only agentd scope names count; when the claim holds some, the token is limited to them. Default `scope`.',
    }),
    tenant: claimName.nullable().default(null).meta({
      description:
        'A claim that must name this tenant (its id or name), so a token minted for another tenant is refused. Default: none.',
    }),
  })
  .meta({ id: 'IdentityProviderClaims' });

const TenantRoleSchema = z.enum(['member', 'admin']);

export const PutIdentityProviderSchema = z
  .strictObject({
    issuer: z.string().url().max(500).meta({
      description:
        'The OpenID Connect issuer; agentd reads `<issuer>/.well-known/openid-configuration` and its `jwks_uri` through the network policy.',
      example: 'https://login.example.com/realms/acme',
    }),
    audience: z.string().min(1).max(500).meta({
      description: 'The `aud` tokens must carry for this tenant.',
      example: 'agentd',
    }),
    claims: ClaimMappingSchema.default({
      user: 'sub',
      roles: 'roles',
      groups: 'groups',
      scopes: 'scope',
      tenant: null,
    }),
    role_map: z.record(z.string().min(1).max(200), TenantRoleSchema).default({}).meta({
      description:
        'Role values in the token mapped to agentd roles, e.g. {"agentd-admins": "admin"}. The highest mapped role wins.',
    }),
    default_role: TenantRoleSchema.nullable().default('member').meta({
      description: 'The role of a user none of whose roles is mapped; null refuses such users (403).',
    }),
  })
  .meta({ id: 'PutIdentityProviderRequest' });

export const IdentityProviderSchema = z
  .object({
    object: z.literal('identity_provider'),
    issuer: z.string(),
    audience: z.string(),
    claims: z.object({
      user: z.string(),
      roles: z.string(),
      groups: z.string(),
      scopes: z.string(),
      tenant: z.string().nullable(),
    }),
    role_map: z.record(z.string(), TenantRoleSchema),
    default_role: TenantRoleSchema.nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .meta({ id: 'IdentityProvider' });

export type PutIdentityProvider = z.infer<typeof PutIdentityProviderSchema>;
export type IdentityProvider = z.infer<typeof IdentityProviderSchema>;
export type ClaimMapping = IdentityProvider['claims'];
