import { z } from '@hono/zod-openapi';
import { printableString } from '../http/common-schemas.js';
import { POLICY_ACTIONS } from './cedar-schema.js';

const POLICY_EXAMPLE = `forbid (
  principal,
  action == Agentd::Action::"call_tool",
  resource == Agentd::Tool::"refund"
) unless {
  principal == Agentd::Agent::"support" &&
  context.arguments has amount && context.arguments.amount <= 100 &&
  context has user && context.user in Agentd::Group::"tier2"
};`;

const PolicyText = z.string().min(1).max(20_000).openapi({
  description:
    "One Cedar statement (permit or forbid), validated against agentd's schema (GET /v1/policies/schema).",
  example: POLICY_EXAMPLE,
});

export const CreatePolicySchema = z
  .strictObject({
    name: printableString(128).openapi({ description: 'Unique in your tenant; denials name it.' }),
    description: z.string().max(2000).nullable().optional(),
    policy: PolicyText,
  })
  .openapi('CreatePolicy');

export const ValidatePolicySchema = z.strictObject({ policy: PolicyText }).openapi('ValidatePolicy');

const Actions = z
  .array(z.enum(POLICY_ACTIONS))
  .openapi({ description: 'The actions the policy can apply to.' });
const Effect = z.enum(['permit', 'forbid']);

const policyFields = {
  name: z.string(),
  description: z.string().nullable(),
  policy: z.string(),
  effect: Effect,
  actions: Actions,
  version: z.number().int(),
  created_at: z.number().int(),
};

export const PolicySchema = z
  .object({ id: z.string(), object: z.literal('policy'), ...policyFields, updated_at: z.number().int() })
  .openapi('Policy', { description: 'A Cedar policy of your tenant, at its latest version.' });

export const PolicyVersionSchema = z
  .object({ id: z.string(), object: z.literal('policy.version'), ...policyFields })
  .openapi('PolicyVersion');

export const PolicyValidationSchema = z
  .object({
    object: z.literal('policy.validation'),
    valid: z.literal(true),
    effect: Effect,
    actions: Actions,
  })
  .openapi('PolicyValidation', { description: 'The policy parses and validates against the schema.' });

export const PolicySchemaDocument = z
  .object({
    object: z.literal('policy.schema'),
    cedar: z
      .string()
      .openapi({ description: 'The Cedar schema text (`context.arguments` is filled per tenant).' }),
    json: z
      .record(z.string(), z.unknown())
      .openapi({ description: "Your tenant's schema in Cedar's JSON form." }),
  })
  .openapi('PolicySchemaDocument');
