import type { ContentPart, Item, MessageRole } from '@agentd/spec';
import type { InputItem } from '@agentd/spec/wire';
import { newId } from '../ids.js';

const BUILTIN_ITEM_KINDS = {
  code_interpreter_call: 'codeInterpreterCall',
  web_search_call: 'webSearchCall',
  file_search_call: 'fileSearchCall',
} as const;

function normalizeContent(role: MessageRole, content: string | ContentPart[]): ContentPart[] {
  if (typeof content !== 'string') return content;
  return [
    role === 'assistant'
      ? { type: 'output_text', text: content, annotations: [] }
      : { type: 'input_text', text: content },
  ];
}

/** Turns an input item into a stored item with a server-assigned id. */
export function toItem(input: InputItem): Item {
  switch (input.type) {
    case 'message':
      return {
        type: 'message',
        id: newId('message'),
        role: input.role,
        content: normalizeContent(input.role, input.content as string | ContentPart[]),
        status: input.status ?? 'completed',
        ...(input.superseded ? { superseded: true } : {}),
      };
    case 'function_call':
      return {
        type: 'function_call',
        id: newId('functionCall'),
        call_id: input.call_id,
        name: input.name,
        arguments: input.arguments,
        status: input.status ?? 'completed',
        ...(input.superseded ? { superseded: true } : {}),
      };
    case 'approval_response':
      return {
        type: 'approval_response',
        id: newId('approvalResponse'),
        approval_request_id: input.approval_request_id,
        approve: input.approve,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
        status: 'completed',
      };
    case 'code_interpreter_call':
    case 'web_search_call':
    case 'file_search_call':
      return {
        ...input,
        id: newId(BUILTIN_ITEM_KINDS[input.type]),
        status: input.status ?? 'completed',
      } as unknown as Item;
    case 'function_call_output':
      return {
        type: 'function_call_output',
        id: newId('functionCallOutput'),
        call_id: input.call_id,
        output: input.output,
        status: input.status ?? 'completed',
      };
  }
}
