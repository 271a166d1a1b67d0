import { z } from 'zod';
import { MetadataSchema } from './common.js';
import { SafetySettingSchema } from './safety-setting.js';

export const AGENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const ModelSettingsSchema = z
  .strictObject({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_output_tokens: z.number().int().min(1).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    seed: z.number().int().optional(),
    stop: z.array(z.string()).max(4).optional(),
    parallel_tool_calls: z.boolean().optional(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  })
  .meta({ id: 'ModelSettings' });

/** A tool reference: a registered tool's name, a capability, or an inline Responses-API tool object. */
export const ToolReferenceSchema = z
  .union([
    z.string().min(1).max(128),
    z.strictObject({ capability: z.string().min(1).max(128) }),
    // An inline function tool's `parameters` are checked as JSON Schema by the server (ajv is no wire concern).
    z.looseObject({ type: z.string().min(1) }),
  ])
  .meta({ id: 'ToolReference' });

export const ToolChoiceSchema = z
  .union([
    z.enum(['auto', 'none', 'required']),
    z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
  ])
  .meta({ id: 'ToolChoice' });

/** The memory feature's settings slot; stored as given. */
const SettingsSlotSchema = z.record(z.string(), z.unknown()).nullable();

const definitionFields = {
  description: z.string().max(2000).nullable(),
  instructions: z.string().max(256_000).nullable(),
  model: z
    .string()
    .min(1)
    .max(256)
    .nullable()
    .meta({ description: 'Model name; null uses the default model.' }),
  tools: z.array(ToolReferenceSchema).max(128),
  tool_choice: ToolChoiceSchema,
  max_steps: z.number().int().min(1).max(100),
  model_settings: ModelSettingsSchema,
  metadata: MetadataSchema,
  safety: z.union([SafetySettingSchema, z.null()]).meta({
    description:
      "What the safety pipeline checks in this agent's runs; null: the tenant's and the platform's defaults.",
  }),
  memory: SettingsSlotSchema,
};

export const AgentDefinitionSchema = z.object(definitionFields);
export type AgentDefinition = z.infer<typeof AgentDefinitionSchema>;

const nameField = z
  .string()
  .regex(
    AGENT_NAME_PATTERN,
    'a name is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit',
  );

export const CreateAgentSchema = z
  .strictObject({
    name: nameField,
    description: definitionFields.description.optional(),
    instructions: definitionFields.instructions.optional(),
    model: definitionFields.model.optional(),
    tools: definitionFields.tools.default([]),
    tool_choice: definitionFields.tool_choice.default('auto'),
    max_steps: definitionFields.max_steps.default(10),
    model_settings: definitionFields.model_settings.default({}),
    metadata: definitionFields.metadata.default({}),
    safety: definitionFields.safety.default(null),
    memory: definitionFields.memory.default(null),
  })
  .meta({ id: 'CreateAgentRequest' });
export type CreateAgentInput = z.infer<typeof CreateAgentSchema>;

export const UpdateAgentSchema = z
  .strictObject({
    name: nameField.optional(),
    ...Object.fromEntries(Object.entries(definitionFields).map(([key, schema]) => [key, schema.optional()])),
  } as { name: z.ZodOptional<typeof nameField> } & {
    [K in keyof typeof definitionFields]: z.ZodOptional<(typeof definitionFields)[K]>;
  })
  .refine((value) => Object.keys(value).length > 0, { message: 'the update names no field' })
  .meta({ id: 'UpdateAgentRequest' });
export type UpdateAgentInput = z.infer<typeof UpdateAgentSchema>;

export const AgentSchema = z
  .object({
    id: z.string(),
    object: z.literal('agent'),
    name: z.string(),
    version: z.number().int(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
    ...definitionFields,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof AgentSchema>;

export const AgentVersionSchema = z
  .object({
    object: z.literal('agent.version'),
    id: z.string().meta({ description: 'The agent id.' }),
    name: z.string(),
    version: z.number().int(),
    created_at: z.number().int(),
    ...definitionFields,
  })
  .meta({ id: 'AgentVersion' });
export type AgentVersion = z.infer<typeof AgentVersionSchema>;
