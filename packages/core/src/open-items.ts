import type { ResponseEventBody, ResponseObject } from '@agentd/spec';
import { interruptedItem } from './builtin-items.js';

/** Marks items left working by a stopped turn or tool call as incomplete (failed, for the web). */
export function closeOpenItems(response: ResponseObject, emit: (event: ResponseEventBody) => void): void {
  response.output.forEach((item, index) => {
    const closed = interruptedItem(item);
    if (closed) emit({ type: 'response.output_item.done', output_index: index, item: closed });
  });
}
