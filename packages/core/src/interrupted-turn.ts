import type { OutputItem } from '@agentd/spec';
import { interruptedItem } from './builtin-items.js';

/** What a model turn streams. */
const TURN_ITEMS: ReadonlySet<OutputItem['type']> = new Set(['message', 'reasoning', 'function_call']);

/**
 * The output indexes of the model turn a stopped run was in the middle of,
 * if it was: the items after the run's last tool result or approval request,
 * when one of them was still streaming, or when they hold no function call
 * (an answer whose end was never recorded). That turn is asked again. A turn
 * that ended with function calls is not: its calls are what was in flight.
 */
export function interruptedTurn(output: readonly OutputItem[]): number[] {
  const indexes: number[] = [];
  for (let index = output.length - 1; index >= 0; index--) {
    const item = output[index]!;
    if (isSuperseded(item)) continue;
    if (!TURN_ITEMS.has(item.type)) break;
    indexes.unshift(index);
  }
  const items = indexes.map((index) => output[index]!);
  const streaming = items.some((item) => item.status === 'in_progress');
  const answered = items.length > 0 && items.every((item) => item.type !== 'function_call');
  return streaming || answered ? indexes : [];
}

/**
 * An item as it ends when a new attempt replaces it: closed, marked
 * `superseded`, and for text, emptied, so that nothing of it counts as the
 * answer (`output_text`) for a client that folds the stream's items.
 */
export function supersededItem(item: OutputItem): OutputItem {
  switch (item.type) {
    case 'message':
      return {
        ...item,
        content: [{ type: 'output_text', text: '', annotations: [] }],
        status: 'incomplete',
        superseded: true,
      };
    case 'reasoning':
      return { ...item, summary: [], content: [], status: 'incomplete', superseded: true };
    case 'function_call':
      return { ...item, status: 'incomplete', superseded: true };
    default:
      return { ...(interruptedItem(item) ?? item), superseded: true } as OutputItem;
  }
}

export function isSuperseded(item: OutputItem): boolean {
  return 'superseded' in item && item.superseded === true;
}
