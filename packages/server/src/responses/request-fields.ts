import { estimateTokens, itemsToMessages, schemaProblems } from '@agentd/core';
import type { Item, ResponseObject, TextFormat } from '@agentd/spec';
import type { CreateResponseInput } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import type { RunSpec } from './run-spec.js';

/**
 * Every `include` value OpenAI's Responses API defines. agentd fills the
 * first three; the others are accepted so that clients which always send them
 * (the Agents SDK sends `reasoning.encrypted_content`) work, and change nothing.
 */
export const INCLUDE_VALUES = [
  'file_search_call.results',
  'code_interpreter_call.outputs',
  'message.output_text.logprobs',
  'web_search_call.results',
  'web_search_call.action.sources',
  'reasoning.encrypted_content',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
] as const;

/** What the request's OpenAI fields add to the run spec and the response object. */
export interface RequestFields {
  spec: Pick<RunSpec, 'text_format' | 'text_format_retries' | 'truncation'>;
  echo: Pick<ResponseObject, 'text' | 'truncation' | 'store' | 'reasoning' | 'user' | 'safety_identifier'>;
}

/**
 * Checks the OpenAI request fields that a schema alone cannot: the JSON
 * Schema of `text.format`, the `include` values, background with
 * `store: false`. A problem is a 400 naming the field.
 */
export function requestFields(body: CreateResponseInput, structuredOutputRetries: number): RequestFields {
  const format = (body.text?.format ?? { type: 'text' }) as TextFormat;
  if (format.type === 'json_schema') {
    const problem = schemaProblems(format.schema)[0];
    if (problem) {
      throw new AgentdError(
        'invalid_request',
        'invalid_json_schema',
        `Invalid schema for text.format '${format.name}': ${problem.path || 'the schema'} ${problem.message}.`,
        { param: `text.format.schema${dotted(problem.path)}` },
      );
    }
  }
  checkInclude(body.include ?? []);
  if (body.store === false && body.background) {
    throw new AgentdError(
      'invalid_request',
      'invalid_value',
      'A background response must be stored, to be fetched later: background requires store true.',
      { param: 'store' },
    );
  }
  return {
    spec: {
      ...(format.type === 'text'
        ? {}
        : { text_format: format, text_format_retries: structuredOutputRetries }),
      ...(body.truncation ? { truncation: body.truncation } : {}),
    },
    echo: {
      text: { format },
      truncation: body.truncation ?? 'auto',
      store: body.store ?? true,
      reasoning: {
        effort: body.reasoning?.effort ?? null,
        summary: typeof body.reasoning?.summary === 'string' ? body.reasoning.summary : null,
      },
      user: body.user ?? null,
      safety_identifier: body.safety_identifier ?? null,
    },
  };
}

/** Each `include` value must be one OpenAI defines: a 400 naming `include[i]` otherwise. */
export function checkInclude(include: readonly string[]): void {
  include.forEach((value, index) => {
    if (!(INCLUDE_VALUES as readonly string[]).includes(value)) {
      throw new AgentdError(
        'invalid_request',
        'invalid_value',
        `'${value}' is not a known include value; expected one of ${INCLUDE_VALUES.join(', ')}.`,
        { param: `include[${index}]` },
      );
    }
  });
}

/**
 * With truncation `disabled`, a prompt that cannot fit is refused before a
 * run exists, as OpenAI refuses it: a 400 naming the limit.
 */
export function checkContextLength(
  instructions: string | null,
  items: readonly Item[],
  budget: number,
  limitName: string,
): void {
  const messages = [
    ...(instructions ? [{ role: 'system' as const, content: instructions }] : []),
    ...itemsToMessages(items),
  ];
  const tokens = messages.reduce((sum, message) => sum + estimateTokens(message), 0);
  if (tokens <= budget) return;
  throw new AgentdError(
    'invalid_request',
    'context_length_exceeded',
    `The input is about ${tokens} tokens, over this server's context budget of ${budget} tokens (${limitName}); shorten it, or set truncation to "auto" to drop the oldest turns.`,
    { param: 'input' },
  );
}

/** `/properties/age/type` as `.properties.age.type`; array indexes as `[0]`. */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}
