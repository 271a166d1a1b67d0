import { z } from 'zod';
import { printableString } from './common.js';

/** The actions a Cedar policy can name (agentd's Cedar schema declares the same). */
export const POLICY_ACTIONS = ['invoke_agent', 'call_tool', 'read_file', 'approve', 'administer'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

const POLICY_EXAMPLE = `forbid (
  principal,
  action == Agentd::Action::"call_tool",
  resource == Agentd::Tool::"refund"
) unless {
  principal == Agentd::Agent::"support" &&
  context.arguments has amount && context.arguments.amount <= 100 &&
  context has user && context.user in Agentd::Group::"tier2"
};`;

const PolicyText = z.string().min(1).max(20_000).meta({
  description:
    "One Cedar statement (permit or forbid), validated against agentd's schema (GET /v1/policies/schema).",
  example: POLICY_EXAMPLE,
});

export const CreatePolicySchema = z
  .strictObject({
    name: printableString(128).meta({ description: 'Unique in your tenant; denials name it.' }),
    description: z.string().max(2000).nullable().optional(),
    policy: PolicyText,
  })
  .meta({ id: 'CreatePolicy' });

export const ValidatePolicySchema = z.strictObject({ policy: PolicyText }).meta({ id: 'ValidatePolicy' });

const Actions = z.array(z.enum(POLICY_ACTIONS)).meta({ description: 'The actions the policy can apply to.' });
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
  .meta({ id: 'Policy', description: 'A Cedar policy of your tenant, at its latest version.' });

export const PolicyVersionSchema = z
  .object({ id: z.string(), object: z.literal('policy.version'), ...policyFields })
  .meta({ id: 'PolicyVersion' });

export const PolicyValidationSchema = z
  .object({
    object: z.literal('policy.validation'),
    valid: z.literal(true),
    effect: Effect,
    actions: Actions,
  })
  .meta({ id: 'PolicyValidation', description: 'The policy parses and validates against the schema.' });

export const PolicySchemaDocument = z
  .object({
    object: z.literal('policy.schema'),
    cedar: z
      .string()
      .meta({ description: 'The Cedar schema text (`context.arguments` is filled per tenant).' }),
    json: z
      .record(z.string(), z.unknown())
      .meta({ description: "Your tenant's schema in Cedar's JSON form." }),
  })
  .meta({ id: 'PolicySchemaDocument' });
