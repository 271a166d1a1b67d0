import { z } from 'zod';
import { ModelSettingsSchema, ToolChoiceSchema, ToolReferenceSchema } from './agents.js';
import { MetadataSchema } from './common.js';
import { InputItemSchema } from './items.js';

export const EndpointSchema = z.strictObject({
  url: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), 'expected an http or https URL'),
  headers: z.record(z.string(), z.string()).optional(),
  timeout_ms: z.number().int().min(1).max(600_000).optional(),
});

/** An inline function tool, as in the Responses API, plus agentd's optional HTTP `endpoint`. */
export const FunctionToolSchema = z.strictObject({
  type: z.literal('function'),
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1 to 64 letters, digits, "_" or "-"'),
  description: z.string().max(4000).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().optional(),
  endpoint: EndpointSchema.optional(),
});

/** Structured outputs: the answer's required format, as the Responses API's `text.format`. */
const TextFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a format name is 1 to 64 letters, digits, "_" or "-"'),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().max(4000).optional(),
    strict: z.boolean().nullable().optional(),
  }),
]);

export const CreateResponseSchema = z
  .strictObject({
    input: z.union([z.string(), z.array(InputItemSchema).min(1)]),
    agent: z.string().min(1).optional().meta({ description: 'A stored agent, by id or name.' }),
    model: z.string().min(1).max(256).optional().meta({ description: 'A model name, or `agent:<name>`.' }),
    instructions: z.string().max(256_000).optional(),
    tools: z.array(ToolReferenceSchema).max(128).optional(),
    tool_choice: ToolChoiceSchema.optional(),
    conversation: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1) })]).optional(),
    previous_response_id: z.string().min(1).optional(),
    stream: z.boolean().default(false),
    background: z.boolean().default(false),
    store: z.boolean().optional(),
    max_output_tokens: z.number().int().min(1).optional(),
    max_steps: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'agentd: model turns allowed.' }),
    max_total_tokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'agentd: token budget for the run.' }),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    parallel_tool_calls: z.boolean().optional(),
    reasoning: z
      .looseObject({
        effort: ModelSettingsSchema.shape.reasoning_effort,
        summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
      })
      .optional(),
    metadata: MetadataSchema.optional(),
    user: z.string().max(256).optional(),
    safety_identifier: z.string().max(64).optional(),
    truncation: z.enum(['auto', 'disabled']).optional().meta({
      description: "auto (agentd's default) trims the oldest turns; disabled refuses a context too long.",
    }),
    include: z.array(z.string()).max(16).optional(),
    text: z
      .strictObject({
        format: TextFormatSchema.optional(),
        verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
      })
      .optional(),
  })
  .meta({ id: 'CreateResponseRequest' });
export type CreateResponseInput = z.infer<typeof CreateResponseSchema>;

export const ResponseObjectSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'Response', description: 'A response (a run) in the OpenAI Responses API shape.' });
