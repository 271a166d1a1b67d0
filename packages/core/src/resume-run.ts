import type {
  FunctionCallOutputItem,
  ModelToolCall,
  OutputItem,
  ResponseEventBody,
  ResponseObject,
  RunTool,
} from '@agentd/spec';
import { emitItem, readApprovals, requestApproval } from './approvals.js';
import { interruptedItem } from './builtin-items.js';
import { interruptedTurn, isSuperseded, supersededItem } from './interrupted-turn.js';
import type { PendingCall } from './model-turn.js';
import type { RunLoopInput } from './run-loop-input.js';
import { executeToolCalls, executionOptions } from './tool-execution.js';
import { validateArguments } from './validate-arguments.js';

/** The output of a call a worker failure left in flight, when it is not run again. */
export const INTERRUPTED_CALL_OUTPUT =
  'Error: interrupted by a worker failure: this call may or may not have taken effect; it was not run again.';

export interface Resumed {
  /** What the model reads of the run so far, the calls' new outputs last. */
  items: OutputItem[];
  /** Calls wait for the client or for a person: the run ends, as it was about to. */
  handoff: boolean;
}

/**
 * Carries on a run that a stopped worker left in progress, from its snapshot.
 * The model turn it was in is superseded (closed, marked, its text emptied)
 * and will be asked again. Finished items stay, and a call whose result was
 * recorded never runs again. A call left in flight runs again only when its
 * tool is idempotent (or its arguments never passed the check, so it never
 * ran); otherwise it gets a failed output saying so, and the model decides.
 * Calls for the client or awaiting approval are handed over as before.
 */
export async function resumeRun(
  input: RunLoopInput,
  response: ResponseObject,
  tools: ReadonlyMap<string, RunTool>,
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
  nowSeconds: number,
): Promise<Resumed> {
  const output = response.output;
  const turn = new Set(interruptedTurn(output));
  const finished = output.filter(
    (item, index) =>
      !turn.has(index) && !isSuperseded(item) && (!('status' in item) || item.status === 'completed'),
  );
  const answered = new Set(
    output.flatMap((item) => (item.type === 'function_call_output' ? [item.call_id] : [])),
  );
  const awaitingApproval = new Set(
    output.flatMap((item) => (item.type === 'approval_request' ? [item.call_id] : [])),
  );

  const again: PendingCall[] = [];
  const notAgain: PendingCall[] = [];
  const toApprove: ModelToolCall[] = [];
  let handoff = false;
  const decide = (pending: PendingCall) => {
    const tool = tools.get(pending.call.name);
    if (runsAgain(tool, pending.call)) again.push(pending);
    else notAgain.push(pending);
  };
  output.forEach((item, index) => {
    if (item.type !== 'function_call' || !finished.includes(item) || answered.has(item.call_id)) return;
    const call = { id: item.call_id, name: item.name, arguments: item.arguments };
    const tool = tools.get(call.name);
    if (awaitingApproval.has(call.id) || (tool && !tool.execute)) handoff = true;
    else if (tool?.requiresApproval) toApprove.push(call);
    else decide({ item, outputIndex: index, call });
  });
  // Approved calls this run was executing when it stopped (approvals answered in its input),
  // judged as at its start: one that has expired since may have run all the same.
  const approvals = readApprovals(input.history, answered, response.created_at, () => input.newId('fco'));
  for (const pending of approvals.approved) decide(pending);

  const rerun = new Set(again.map((pending) => pending.call.id));
  for (const index of turn) {
    emit({ type: 'response.output_item.done', output_index: index, item: supersededItem(output[index]!) });
  }
  output.forEach((item, index) => {
    const closed = turn.has(index) ? undefined : interruptedItem(item);
    if (!closed) return;
    // A built-in tool item of a call that runs again is replaced by the new call's item.
    const replaced = 'call_id' in item && item.call_id !== undefined && rerun.has(item.call_id);
    emit({
      type: 'response.output_item.done',
      output_index: index,
      item: replaced ? supersededItem(item) : closed,
    });
  });

  // Each such call ends failed, as a run records a call's end (its one audit row is written then).
  for (const { item, call } of notAgain) {
    emit({
      type: 'response.tool_call.completed',
      item_id: item.id,
      call_id: call.id,
      name: call.name,
      arguments: call.arguments,
      status: 'failed',
      duration_ms: 0,
    });
  }
  const failed = notAgain.map(
    ({ call }): FunctionCallOutputItem => ({
      type: 'function_call_output',
      id: input.newId('fco'),
      call_id: call.id,
      output: INTERRUPTED_CALL_OUTPUT,
      status: 'completed',
    }),
  );
  for (const item of [...approvals.refused, ...failed]) emitItem(item, emit, nextIndex);
  for (const call of toApprove) requestApproval(call, input, emit, nextIndex, nowSeconds);
  if (toApprove.length > 0) handoff = true;
  const executed = await executeToolCalls(again, executionOptions(input, tools, emit, nextIndex));
  return { items: [...finished, ...approvals.refused, ...failed, ...executed], handoff };
}

/** Whether a call left in flight may run again: its tool is idempotent, or the call never passed the check. */
function runsAgain(tool: RunTool | undefined, call: ModelToolCall): boolean {
  if (!tool?.execute) return false;
  if (tool.idempotent === true) return true;
  return !validateArguments(tool.definition.parameters, call.arguments).ok;
}
