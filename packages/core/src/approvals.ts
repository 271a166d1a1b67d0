import type {
  ApprovalRequestItem,
  FunctionCallOutputItem,
  OutputItem,
  ResponseEventBody,
} from '@agentd/spec';
import type { PendingCall } from './model-turn.js';
import type { RunLoopInput } from './run-loop-input.js';
import type { RunTool } from './run-tool.js';
import { executeToolCalls } from './tool-execution.js';

/**
 * Answers the approval requests this run's input responds to: an approved,
 * unexpired call runs now; a denied or expired one goes back to the model as
 * such. Either way the call gets its function_call_output.
 */
export async function answerApprovals(
  input: RunLoopInput,
  tools: ReadonlyMap<string, RunTool>,
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
  nowSeconds: number,
): Promise<OutputItem[]> {
  const requests = new Map<string, ApprovalRequestItem>();
  const answered = new Set<string>();
  for (const item of input.history) {
    if (item.type === 'approval_request') requests.set(item.id, item);
    if (item.type === 'function_call_output') answered.add(item.call_id);
  }
  const approved: PendingCall[] = [];
  const outputs: OutputItem[] = [];
  for (const item of input.history) {
    if (item.type !== 'approval_response') continue;
    const request = requests.get(item.approval_request_id);
    if (!request || answered.has(request.call_id)) continue;
    answered.add(request.call_id);
    const expired = nowSeconds > request.expires_at;
    if (item.approve && !expired) {
      const call = { id: request.call_id, name: request.name, arguments: request.arguments };
      approved.push({
        item: {
          type: 'function_call',
          id: request.id,
          call_id: call.id,
          name: call.name,
          arguments: call.arguments,
          status: 'completed',
        },
        outputIndex: -1,
        call,
      });
      continue;
    }
    const why = expired
      ? 'the approval request expired before it was answered'
      : `a person denied it${item.reason ? `: ${item.reason}` : ''}`;
    const output: FunctionCallOutputItem = {
      type: 'function_call_output',
      id: input.newId('fco'),
      call_id: request.call_id,
      output: `Error: the call to ${request.name} was not executed: ${why}.`,
      status: 'completed',
    };
    const index = nextIndex();
    emit({ type: 'response.output_item.added', output_index: index, item: output });
    emit({ type: 'response.output_item.done', output_index: index, item: output });
    outputs.push(output);
  }
  if (approved.length === 0) return outputs;
  const executed = await executeToolCalls(approved, {
    tools,
    signal: input.signal,
    maxOutputChars: input.maxToolOutputChars ?? 64_000,
    newId: () => input.newId('fco'),
    newItemId: (prefix) => input.newId(prefix),
    emit,
    outputIndex: nextIndex,
    ...(input.toolScope ? { scope: input.toolScope } : {}),
  });
  return [...outputs, ...executed];
}
