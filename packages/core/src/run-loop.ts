import type {
  IncompleteReason,
  ModelMessage,
  OutputItem,
  ResponseEventBody,
  ResponseObject,
  ResponseStatus,
} from '@agentd/spec';
import { applyEvent } from './apply-event.js';
import { answerApprovals, requestApproval, screenApprovals } from './approvals.js';
import { fitToBudget, itemsToMessages } from './context-window.js';
import { guardModel } from './guard-model.js';
import { checkInput, refusalMessage } from './input-check.js';
import { type PendingCall, streamTurn } from './model-turn.js';
import { closeOpenItems } from './open-items.js';
import { resumeRun } from './resume-run.js';
import { RunCancelled, RunSuspended } from './run-errors.js';
import type { RunLoopInput } from './run-loop-input.js';
import { transition } from './run-status.js';
import { executeToolCalls, executionOptions } from './tool-execution.js';

const EMPTY_USAGE = {
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens_details: { reasoning_tokens: 0 },
};

/**
 * The ReAct loop: call the model, run the tools it asks for (in parallel),
 * feed the results back, until it answers, a limit is hit, or the run is
 * cancelled. Every step is an event, appended to the sink before it streams.
 */
export async function runLoop(input: RunLoopInput): Promise<ResponseObject> {
  const now = input.now ?? (() => Math.floor(Date.now() / 1000));
  let response = input.response;
  const emit = (event: ResponseEventBody) => {
    response = applyEvent(response, event);
    input.sink.append(event, response);
  };
  const finish = async (status: ResponseStatus, patch: Partial<ResponseObject> = {}) => {
    const next = { ...response, ...patch, status: transition(response.status, status), completed_at: now() };
    const type = `response.${status}` as 'response.completed';
    emit({ type, response: next });
    await input.sink.flush();
    return response;
  };

  const toolsByName = new Map(input.tools.map((tool) => [tool.definition.name, tool]));
  const definitions = input.tools.map((tool) => tool.definition);
  const system: ModelMessage[] = input.instructions ? [{ role: 'system', content: input.instructions }] : [];
  const runItems: OutputItem[] = [];
  /** What the model reads of earlier turns and this input (with any redaction a check made). */
  let history = input.history;
  let usage = { ...EMPTY_USAGE };
  const guard = guardModel(input.model, { ...input, parallelToolCalls: input.settings.parallelToolCalls });

  try {
    if (response.status === 'in_progress') {
      // Resuming after the worker that ran it stopped: keep what was finished.
      const resumed = await resumeRun(
        input,
        response,
        toolsByName,
        emit,
        () => response.output.length,
        now(),
      );
      runItems.push(...resumed.items);
      throwIfAborted(input.signal);
      if (resumed.handoff) return await finish('completed', { usage });
    } else {
      emit({
        type: 'response.in_progress',
        response: { ...response, status: transition(response.status, 'in_progress') },
      });
      if (input.checks?.input || input.checks?.toolOutput) {
        const checked = await checkInput(input.checks, history, input.signal, emit);
        if (!checked) {
          const refusal = refusalMessage(input.newId('msg'));
          const index = response.output.length;
          emit({ type: 'response.output_item.added', output_index: index, item: refusal });
          emit({ type: 'response.output_item.done', output_index: index, item: refusal });
          return await finish('incomplete', incomplete('content_filter', usage));
        }
        history = checked;
      }
      // Approvals answered in this request: run the approved calls, tell the model about the rest.
      runItems.push(
        ...(await answerApprovals(input, toolsByName, emit, () => response.output.length, now())),
      );
    }

    for (let step = (input.stepsTaken ?? 0) + 1; ; step++) {
      if (step > input.maxSteps) return await finish('incomplete', incomplete('max_steps', usage));
      throwIfAborted(input.signal);
      const stop = await input.beforeModelCall?.(usage);
      if (stop) return await finish('incomplete', { incomplete_details: stop, usage });
      const messages = fitToBudget(
        system,
        itemsToMessages([...history, ...runItems]),
        input.contextTokens,
        input.truncation,
      );
      emit({ type: 'response.model_call.started', step, model: response.model });
      const turn = await streamTurn({ ...input, model: guard.model }, messages, definitions, response, emit);
      runItems.push(...turn.items);
      usage = addUsage(usage, turn.usage);
      emit({
        type: 'response.model_call.completed',
        step,
        finish_reason: turn.finishReason,
        usage: { input_tokens: turn.usage.input, output_tokens: turn.usage.output },
      });
      response = { ...response, usage };

      if (turn.finishReason === 'length')
        return await finish('incomplete', incomplete('max_output_tokens', usage));
      if (turn.finishReason === 'content-filter')
        return await finish('incomplete', incomplete('content_filter', usage));
      const rejected = guard.rejection();
      if (rejected) return await finish('incomplete', { incomplete_details: rejected, usage });
      if (
        input.maxTotalTokens !== null &&
        usage.total_tokens >= input.maxTotalTokens &&
        turn.calls.length > 0
      ) {
        return await finish('incomplete', incomplete('max_total_tokens', usage));
      }
      if (turn.calls.length === 0) return await finish('completed', { usage });

      const needsApproval = (call: PendingCall) => toolsByName.get(call.call.name)?.requiresApproval === true;
      const serverCalls = turn.calls.filter(
        (call) =>
          !needsApproval(call) &&
          (toolsByName.get(call.call.name)?.execute !== undefined || !toolsByName.has(call.call.name)),
      );
      const clientCalls = turn.calls.filter(
        (call) => toolsByName.has(call.call.name) && !toolsByName.get(call.call.name)?.execute,
      );
      // A call the gate would deny is not put to a person: the model reads the denial instead.
      const screened = await screenApprovals(
        turn.calls.filter(needsApproval),
        input,
        toolsByName,
        emit,
        () => response.output.length,
      );
      runItems.push(...screened.denied);
      const approvalCalls = screened.pending;
      for (const call of approvalCalls) {
        requestApproval(call.call, input, emit, () => response.output.length, now());
      }
      // The turn is stored before any tool runs: a worker that dies mid-call leaves the calls
      // in the log, so the run resumes from them (not by asking the model again, which could
      // ask for other calls while the first ones' effects stand).
      if (serverCalls.length > 0) await input.sink.flush();
      const outputs = await executeToolCalls(
        serverCalls,
        executionOptions(input, toolsByName, emit, () => response.output.length),
      );
      runItems.push(...outputs);
      throwIfAborted(input.signal);
      // Client-side tools and approvals: the client answers and continues with previous_response_id.
      if (clientCalls.length > 0 || approvalCalls.length > 0) return await finish('completed', { usage });
      if (input.maxTotalTokens !== null && usage.total_tokens >= input.maxTotalTokens) {
        return await finish('incomplete', incomplete('max_total_tokens', usage));
      }
    }
  } catch (error) {
    if (input.signal.reason instanceof RunSuspended) {
      // Left in progress on purpose: the next process resumes it from the log.
      await input.sink.flush();
      return response;
    }
    if (input.signal.aborted) {
      closeOpenItems(response, emit);
      return await finish('cancelled', { usage });
    }
    const failure = describeFailure(error);
    closeOpenItems(response, emit);
    emit({ type: 'error', code: failure.code, message: failure.message, param: null });
    return await finish('failed', { usage, error: failure });
  }
}

function incomplete(reason: IncompleteReason, usage: ResponseObject['usage']): Partial<ResponseObject> {
  return { incomplete_details: { reason }, usage };
}

function addUsage(total: typeof EMPTY_USAGE, turn: { input: number; output: number }) {
  return {
    ...total,
    input_tokens: total.input_tokens + turn.input,
    output_tokens: total.output_tokens + turn.output,
    total_tokens: total.total_tokens + turn.input + turn.output,
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new RunCancelled();
}

function describeFailure(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown }).code;
  return {
    code: typeof code === 'string' ? code : 'run_failed',
    message: error instanceof Error ? error.message : String(error),
  };
}
