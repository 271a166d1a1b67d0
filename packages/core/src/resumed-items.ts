import type { FunctionCallOutputItem, OutputItem, ResponseEventBody, ResponseObject } from '@agentd/spec';
import { interruptedItem } from './hosted-items.js';
import type { RunLoopInput } from './run-loop-input.js';

/** Marks items left working by an interrupted turn or tool call as incomplete (failed, for the web). */
export function closeOpenItems(response: ResponseObject, emit: (event: ResponseEventBody) => void): void {
  response.output.forEach((item, index) => {
    const closed = interruptedItem(item);
    if (closed) emit({ type: 'response.output_item.done', output_index: index, item: closed });
  });
}

/**
 * The finished items of an interrupted run. A call whose result was never
 * recorded is not run again (it may have had effects): the model is told it
 * was interrupted.
 */
export function resumedItems(
  response: ResponseObject,
  newId: RunLoopInput['newId'],
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
): OutputItem[] {
  const items = response.output.filter((item) => !('status' in item) || item.status === 'completed');
  const answered = new Set(
    items.flatMap((item) => (item.type === 'function_call_output' ? [item.call_id] : [])),
  );
  for (const item of [...items]) {
    if (item.type !== 'function_call' || answered.has(item.call_id)) continue;
    const output: FunctionCallOutputItem = {
      type: 'function_call_output',
      id: newId('fco'),
      call_id: item.call_id,
      output:
        'Error: the run was interrupted while this call was in flight; it may or may not have taken effect.',
      status: 'completed',
    };
    const index = nextIndex();
    emit({ type: 'response.output_item.added', output_index: index, item: output });
    emit({ type: 'response.output_item.done', output_index: index, item: output });
    items.push(output);
  }
  return items;
}
