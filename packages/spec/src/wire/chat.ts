import { z } from 'zod';
import { MetadataSchema } from './common.js';

/**
 * OpenAI's Chat Completions request, as chat applications send it. Fields that
 * agentd takes but does not act on are listed in the README's compatibility
 * notes; a field OpenAI does not define is a 400 naming it.
 */

const TextPartSchema = z.strictObject({ type: z.literal('text'), text: z.string() });
const RefusalPartSchema = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
/** Image, audio and file parts are recognised so that the refusal can name them. */
const MediaPartSchema = z.looseObject({ type: z.enum(['image_url', 'input_audio', 'file']) });

const textContent = z.union([z.string(), z.array(TextPartSchema)]);

const ToolCallSchema = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

const SystemMessageSchema = z.strictObject({
  role: z.literal('system'),
  content: textContent,
  name: z.string().optional(),
});
const DeveloperMessageSchema = z.strictObject({
  role: z.literal('developer'),
  content: textContent,
  name: z.string().optional(),
});
const UserMessageSchema = z.strictObject({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPartSchema, MediaPartSchema]))]),
  name: z.string().optional(),
});
const AssistantMessageSchema = z.strictObject({
  role: z.literal('assistant'),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [TextPartSchema, RefusalPartSchema]))])
    .nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(ToolCallSchema).optional(),
  name: z.string().optional(),
});
const ToolMessageSchema = z.strictObject({
  role: z.literal('tool'),
  content: textContent,
  tool_call_id: z.string().min(1),
});

export const ChatMessageSchema = z.discriminatedUnion('role', [
  SystemMessageSchema,
  DeveloperMessageSchema,
  UserMessageSchema,
  AssistantMessageSchema,
  ToolMessageSchema,
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

const ChatFunctionToolSchema = z.strictObject({
  type: z.literal('function'),
  function: z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1 to 64 letters, digits, "_" or "-"'),
    description: z.string().max(4000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});
export type ChatFunctionTool = z.infer<typeof ChatFunctionToolSchema>;

const ChatToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
]);

const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a schema name is 1 to 64 letters, digits, "_" or "-"'),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ChatResponseFormat = z.infer<typeof ResponseFormatSchema>;

export const ChatCompletionRequestSchema = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .max(256)
      .meta({ description: 'A model name, or `agent:<name>` to run one of your agents with its tools.' }),
    messages: z.array(ChatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullish(),
    tools: z.array(ChatFunctionToolSchema).max(128).optional(),
    tool_choice: ChatToolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: ResponseFormatSchema.optional(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    n: z.literal(1, 'agentd answers with one choice: n must be 1').nullish(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
    verbosity: z.enum(['low', 'medium', 'high']).nullish(),
    user: z.string().max(256).optional(),
    safety_identifier: z.string().max(64).optional(),
    metadata: MetadataSchema.nullish(),
    web_search_options: z.record(z.string(), z.unknown()).optional(),
    // Taken and not acted on: sampling details the run's model settings come from the agent.
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    presence_penalty: z.number().min(-2).max(2).nullish(),
    frequency_penalty: z.number().min(-2).max(2).nullish(),
    seed: z.number().int().nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    logit_bias: z.record(z.string(), z.number()).nullish(),
    store: z.boolean().nullish(),
    service_tier: z.string().nullish(),
    prompt_cache_key: z.string().optional(),
    modalities: z.array(z.literal('text', 'agentd answers with text only')).nullish(),
  })
  .meta({ id: 'CreateChatCompletionRequest' });
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const ChatCompletionSchema = z.record(z.string(), z.unknown()).meta({
  id: 'ChatCompletion',
  description:
    'A chat.completion object (OpenAI Chat Completions); the agentd response behind it is in the x-agentd-response-id header.',
});
