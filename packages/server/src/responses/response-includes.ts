import type { OutputItem, ResponseEvent, ResponseObject } from '@agentd/spec';

/**
 * What a client sees of the built-in tool items it did not `include`, as
 * OpenAI shows them: a file search's `results` and a code interpreter's
 * `outputs` are null unless asked for. The stored run keeps them whole (file
 * citations and later turns read them); only what is returned is cut.
 */
export function withIncludes(response: ResponseObject, include: readonly string[]): ResponseObject {
  const want = new Set(include);
  return { ...response, output: response.output.map((item) => itemWithIncludes(item, want)) };
}

/** The same for an event of a response stream: its item or its response. */
export function eventWithIncludes(event: ResponseEvent, include: readonly string[]): ResponseEvent {
  const want = new Set(include);
  if ('item' in event) return { ...event, item: itemWithIncludes(event.item, want) } as ResponseEvent;
  if ('response' in event)
    return { ...event, response: withIncludes(event.response, include) } as ResponseEvent;
  return event;
}

/** The `include` query parameter: repeated, or one comma-separated value. */
export function includeQuery(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((entry) => entry.split(',')).filter(Boolean);
}

function itemWithIncludes(item: OutputItem, want: ReadonlySet<string>): OutputItem {
  if (item.type === 'file_search_call' && !want.has('file_search_call.results'))
    return { ...item, results: null };
  if (item.type === 'code_interpreter_call' && !want.has('code_interpreter_call.outputs'))
    return { ...item, outputs: null };
  return item;
}
