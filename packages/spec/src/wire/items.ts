import { z } from 'zod';

const InputTextPartSchema = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const OutputTextPartSchema = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).default([]),
  // OpenAI's clients send an earlier answer back as it came, with its logprobs.
  logprobs: z.array(z.unknown()).optional(),
});
const RefusalPartSchema = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });
const ContentPartSchema = z.discriminatedUnion('type', [
  InputTextPartSchema,
  OutputTextPartSchema,
  RefusalPartSchema,
]);

const StatusSchema = z.enum(['in_progress', 'completed', 'incomplete']);
/** agentd: an item from an earlier output that a new attempt replaced; kept, never shown to the model. */
const SupersededSchema = z.boolean().optional();

const MessageInputSchema = z.strictObject({
  type: z.literal('message'),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(ContentPartSchema).min(1)]),
  status: StatusSchema.optional(),
  superseded: SupersededSchema,
});

const FunctionCallInputSchema = z.strictObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: StatusSchema.optional(),
  superseded: SupersededSchema,
});

const FunctionCallOutputInputSchema = z.strictObject({
  type: z.literal('function_call_output'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  output: z.string(),
  status: StatusSchema.optional(),
});

const ApprovalResponseInputSchema = z.strictObject({
  type: z.literal('approval_response'),
  id: z.string().optional(),
  approval_request_id: z.string().min(1),
  approve: z.boolean(),
  reason: z.string().max(2000).optional(),
  status: StatusSchema.optional(),
});

/**
 * Built-in tool items (code_interpreter_call, web_search_call, file_search_call)
 * as a client echoes them back from an earlier output: kept in the history as
 * given (under a new id), shown to the model through their function call pair.
 */
const builtinItemInputSchema = <T extends string>(type: T) =>
  z.looseObject({
    type: z.literal(type),
    id: z.string().optional(),
    status: z.string().optional(),
  });

/**
 * An input item in the Responses format. A message may leave out `type`, as
 * the OpenAI "easy input message" does.
 */
export const InputItemSchema = z
  .preprocess(
    (value) =>
      value !== null && typeof value === 'object' && !('type' in value) && 'role' in value
        ? { type: 'message', ...value }
        : value,
    z.discriminatedUnion('type', [
      MessageInputSchema,
      FunctionCallInputSchema,
      FunctionCallOutputInputSchema,
      ApprovalResponseInputSchema,
      builtinItemInputSchema('code_interpreter_call'),
      builtinItemInputSchema('web_search_call'),
      builtinItemInputSchema('file_search_call'),
    ]),
  )
  .meta({
    id: 'InputItem',
    type: 'object',
    description:
      'A message, function_call, function_call_output or approval_response item; code_interpreter_call, web_search_call and file_search_call items from an earlier output are accepted back.',
  });
export type InputItem = z.infer<typeof InputItemSchema>;

export const ItemSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'Item', description: 'A conversation item in the OpenAI Responses item format.' });
