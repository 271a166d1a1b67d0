import type { BuiltinToolItem, OutputItem, ResponseEventBody, ResponseObject } from '@agentd/spec';

/**
 * Folds one event into the response snapshot. Pure: the snapshot a client
 * reads is always the fold of the events it could have streamed.
 */
export function applyEvent(response: ResponseObject, event: ResponseEventBody): ResponseObject {
  switch (event.type) {
    case 'response.created':
    case 'response.queued':
    case 'response.in_progress':
    case 'response.completed':
    case 'response.failed':
    case 'response.incomplete':
    case 'response.cancelled':
      return event.response;
    case 'response.output_item.added':
    case 'response.output_item.done':
      return { ...response, output: replaceAt(response.output, event.output_index, event.item) };
    case 'response.output_text.delta': {
      const item = response.output[event.output_index];
      if (item?.type !== 'message') return response;
      const content = item.content.map((part, index) =>
        index === event.content_index && part.type === 'output_text'
          ? { ...part, text: part.text + event.delta }
          : part,
      );
      return { ...response, output: replaceAt(response.output, event.output_index, { ...item, content }) };
    }
    case 'response.content_part.added': {
      const item = response.output[event.output_index];
      // A reasoning part needs no fold: reasoning_text.delta creates it.
      if (item?.type !== 'message' || event.part.type !== 'output_text') return response;
      const content = [...item.content];
      content[event.content_index] = event.part;
      return { ...response, output: replaceAt(response.output, event.output_index, { ...item, content }) };
    }
    case 'response.function_call_arguments.delta': {
      const item = response.output[event.output_index];
      if (item?.type !== 'function_call') return response;
      return {
        ...response,
        output: replaceAt(response.output, event.output_index, {
          ...item,
          arguments: item.arguments + event.delta,
        }),
      };
    }
    case 'response.output_text.annotation.added': {
      const item = response.output[event.output_index];
      if (item?.type !== 'message') return response;
      const content = item.content.map((part, index) => {
        if (index !== event.content_index || part.type !== 'output_text') return part;
        const annotations = [...part.annotations];
        annotations[event.annotation_index] = event.annotation;
        return { ...part, annotations };
      });
      return { ...response, output: replaceAt(response.output, event.output_index, { ...item, content }) };
    }
    case 'response.code_interpreter_call_code.delta':
      return updateBuiltinItem(response, event.output_index, 'code_interpreter_call', (item) => ({
        ...item,
        code: (item.code ?? '') + event.delta,
      }));
    case 'response.code_interpreter_call_code.done':
      return updateBuiltinItem(response, event.output_index, 'code_interpreter_call', (item) => ({
        ...item,
        code: event.code,
      }));
    case 'response.code_interpreter_call.in_progress':
    case 'response.code_interpreter_call.interpreting':
    case 'response.code_interpreter_call.completed': {
      const status = event.type.slice('response.code_interpreter_call.'.length) as
        | 'in_progress'
        | 'interpreting'
        | 'completed';
      return updateBuiltinItem(response, event.output_index, 'code_interpreter_call', (item) => ({
        ...item,
        status,
      }));
    }
    case 'response.web_search_call.in_progress':
    case 'response.web_search_call.searching':
    case 'response.web_search_call.completed': {
      const status = event.type.slice('response.web_search_call.'.length) as
        | 'in_progress'
        | 'searching'
        | 'completed';
      return updateBuiltinItem(response, event.output_index, 'web_search_call', (item) => ({
        ...item,
        status,
      }));
    }
    case 'response.file_search_call.in_progress':
    case 'response.file_search_call.searching':
    case 'response.file_search_call.completed': {
      const status = event.type.slice('response.file_search_call.'.length) as
        | 'in_progress'
        | 'searching'
        | 'completed';
      return updateBuiltinItem(response, event.output_index, 'file_search_call', (item) => ({
        ...item,
        status,
      }));
    }
    case 'response.reasoning_text.delta': {
      const item = response.output[event.output_index];
      if (item?.type !== 'reasoning') return response;
      const content = [...(item.content ?? [])];
      const part = content[event.content_index] ?? { type: 'reasoning_text' as const, text: '' };
      content[event.content_index] = { ...part, text: part.text + event.delta };
      return { ...response, output: replaceAt(response.output, event.output_index, { ...item, content }) };
    }
    default:
      return response;
  }
}

function updateBuiltinItem<K extends BuiltinToolItem['type']>(
  response: ResponseObject,
  index: number,
  type: K,
  update: (item: Extract<BuiltinToolItem, { type: K }>) => Extract<BuiltinToolItem, { type: K }>,
): ResponseObject {
  const item = response.output[index];
  if (item?.type !== type) return response;
  return {
    ...response,
    output: replaceAt(response.output, index, update(item as Extract<BuiltinToolItem, { type: K }>)),
  };
}

function replaceAt(output: OutputItem[], index: number, item: OutputItem): OutputItem[] {
  const next = [...output];
  next[index] = item;
  return next;
}
