import type { FunctionCallOutputItem, Item, OutputItem } from '../api/types.js';
import type { RunView } from './run-view.js';

/**
 * What a step needs from the rest of the thread: a call's result may come in
 * a later run (after its approval), and the answer to an approval request is
 * a later item or run.
 */
export interface ThreadContext {
  outputs: Map<string, FunctionCallOutputItem>;
  answers: Map<string, { approve: boolean; reason: string }>;
}

export function threadContext(history: readonly Item[], runs: readonly RunView[]): ThreadContext {
  const outputs = new Map<string, FunctionCallOutputItem>();
  const answers = new Map<string, { approve: boolean; reason: string }>();
  const note = (item: Item | OutputItem | undefined) => {
    if (item?.type === 'function_call_output') outputs.set(item.call_id, item);
    if (item?.type === 'approval_response')
      answers.set(item.approval_request_id, { approve: item.approve, reason: item.reason ?? '' });
  };
  history.forEach(note);
  for (const run of runs) {
    run.items.forEach(note);
    if (run.answer) answers.set(run.answer.requestId, run.answer);
  }
  return { outputs, answers };
}
