import type {
  ApprovalRequestItem,
  FunctionCallOutputItem,
  Item,
  ModelToolCall,
  OutputItem,
  ResponseEventBody,
  RunTool,
} from '@agentd/spec';
import type { PendingCall } from './model-turn.js';
import type { RunLoopInput } from './run-loop-input.js';
import { executeToolCalls, executionOptions } from './tool-execution.js';
import { deniedToolOutput } from './tool-gate.js';
import { validateArguments } from './validate-arguments.js';

const DEFAULT_APPROVAL_TTL_MS = 60 * 60 * 1000;

/** What the approval responses in a run's input decide about the calls still unanswered. */
export interface ApprovalAnswers {
  /** Approved in time: to be run. */
  approved: PendingCall[];
  /** Denied or expired: each gets its output at once, the reason in it. */
  refused: FunctionCallOutputItem[];
}

/**
 * Reads the approval responses in `history`: each answers a request whose
 * call has no output yet (in the history or among `answered` call ids).
 */
export function readApprovals(
  history: readonly Item[],
  answered: ReadonlySet<string>,
  nowSeconds: number,
  newId: () => string,
): ApprovalAnswers {
  const requests = new Map<string, ApprovalRequestItem>();
  const done = new Set(answered);
  for (const item of history) {
    if (item.type === 'approval_request') requests.set(item.id, item);
    if (item.type === 'function_call_output') done.add(item.call_id);
  }
  const answers: ApprovalAnswers = { approved: [], refused: [] };
  for (const item of history) {
    if (item.type !== 'approval_response') continue;
    const request = requests.get(item.approval_request_id);
    if (!request || done.has(request.call_id)) continue;
    done.add(request.call_id);
    const expired = nowSeconds > request.expires_at;
    if (item.approve && !expired) {
      const call = { id: request.call_id, name: request.name, arguments: request.arguments };
      answers.approved.push({
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
    answers.refused.push({
      type: 'function_call_output',
      id: newId(),
      call_id: request.call_id,
      output: `Error: the call to ${request.name} was not executed: ${why}.`,
      status: 'completed',
    });
  }
  return answers;
}

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
  const { approved, refused } = readApprovals(input.history, new Set(), nowSeconds, () => input.newId('fco'));
  for (const output of refused) emitItem(output, emit, nextIndex);
  if (approved.length === 0) return refused;
  const executed = await executeToolCalls(approved, executionOptions(input, tools, emit, nextIndex));
  return [...refused, ...executed];
}

/**
 * Asks the run's gate about calls that need approval before a person is
 * asked (stage `approval`): a call the gate denies (a policy forbids it) is
 * not put to anyone; it is recorded as denied and goes back to the model,
 * as a denied call does when it is about to run. Calls whose arguments do
 * not validate are left to be told so when they run.
 */
export async function screenApprovals(
  calls: PendingCall[],
  input: Pick<RunLoopInput, 'toolGate' | 'signal' | 'newId'>,
  tools: ReadonlyMap<string, RunTool>,
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
): Promise<{ pending: PendingCall[]; denied: FunctionCallOutputItem[] }> {
  const gate = input.toolGate;
  if (!gate || calls.length === 0) return { pending: calls, denied: [] };
  const pending: PendingCall[] = [];
  const denied: FunctionCallOutputItem[] = [];
  for (const pendingCall of calls) {
    const { call } = pendingCall;
    const tool = tools.get(call.name);
    const check = tool ? validateArguments(tool.definition.parameters, call.arguments) : undefined;
    const denial = check?.ok
      ? await gate(
          { name: call.name, arguments: check.value, callId: call.id, stage: 'approval' },
          input.signal,
        )
      : undefined;
    if (!denial) {
      pending.push(pendingCall);
      continue;
    }
    emit({
      type: 'response.tool_call.denied',
      call_id: call.id,
      name: call.name,
      by: denial.by,
      reason: denial.reason,
      ...(denial.policyId === undefined ? {} : { policy_id: denial.policyId }),
    });
    const output: FunctionCallOutputItem = {
      type: 'function_call_output',
      id: input.newId('fco'),
      call_id: call.id,
      output: deniedToolOutput(call.name, denial),
      status: 'completed',
    };
    emitItem(output, emit, nextIndex);
    denied.push(output);
  }
  return { pending, denied };
}

/** Pauses a call for a human: an approval_request item the client answers in its next request. */
export function requestApproval(
  call: ModelToolCall,
  input: Pick<RunLoopInput, 'newId' | 'approvalTtlMs'>,
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
  nowSeconds: number,
): ApprovalRequestItem {
  const request: ApprovalRequestItem = {
    type: 'approval_request',
    id: input.newId('apr'),
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
    expires_at: nowSeconds + Math.ceil((input.approvalTtlMs ?? DEFAULT_APPROVAL_TTL_MS) / 1000),
    status: 'completed',
  };
  emitItem(request, emit, nextIndex);
  return request;
}

/** A finished item, added and done at once. */
export function emitItem(
  item: OutputItem,
  emit: (event: ResponseEventBody) => void,
  nextIndex: () => number,
): void {
  const index = nextIndex();
  emit({ type: 'response.output_item.added', output_index: index, item });
  emit({ type: 'response.output_item.done', output_index: index, item });
}
