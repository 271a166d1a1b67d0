import type {
  ApprovalRequestItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  IncompleteReason,
  Item,
  LanguageModel,
  MessageItem,
  ModelMessage,
  ModelSettings,
  ModelToolCall,
  ModelToolChoice,
  OutputItem,
  ReasoningItem,
  ResponseEventBody,
  ResponseObject,
  ResponseStatus,
  TextFormat,
} from '@agentd/spec';
import { applyEvent } from './apply-event.js';
import { fitToBudget, itemsToMessages } from './context-window.js';
import { fileCitationSources, findFileCitations } from './file-citations.js';
import { guardModel } from './guard-model.js';
import type { HostedItemPrefix } from './hosted-items.js';
import { LogprobBuffer } from './logprob-buffer.js';
import { closeOpenItems, resumedItems } from './resumed-items.js';
import type { RunEventSink } from './run-event-sink.js';
import { transition } from './run-status.js';
import type { RunTool, ToolScope } from './run-tool.js';
import { DeltaCoalescer } from './text-coalescer.js';
import { executeToolCalls } from './tool-execution.js';
import { citationSources, findUrlCitations } from './url-citations.js';

export interface RunLoopInput {
  /** The response as stored at creation (status queued). */
  response: ResponseObject;
  model: LanguageModel;
  settings: ModelSettings;
  toolChoice?: ModelToolChoice;
  /** System instructions: always first, never trimmed, never overridable by user content. */
  instructions: string | null;
  /** Earlier turns and this turn's input, oldest first. */
  history: readonly Item[];
  tools: readonly RunTool[];
  /** Handed to every tool call: who the run is for. */
  toolScope?: ToolScope;
  maxSteps: number;
  maxTotalTokens: number | null;
  /** The answer's required format (structured outputs), and how many times a mismatch goes back to the model. */
  textFormat?: TextFormat;
  textFormatRetries?: number;
  /** `disabled`: a prompt over `contextTokens` fails the run instead of being trimmed. */
  truncation?: 'auto' | 'disabled';
  /** Token budget for the prompt (the model's context window minus room for the answer). */
  contextTokens: number;
  signal: AbortSignal;
  sink: RunEventSink;
  /** HostedItemPrefix: hosted-tool items (code_interpreter_call, web_search_call, file_search_call). */
  newId: (prefix: 'msg' | 'fc' | 'fco' | 'rs' | 'apr' | HostedItemPrefix) => string;
  /** How long an approval request stays answerable; later answers count as denials. */
  approvalTtlMs?: number;
  /** Model turns already taken, when resuming a run that was interrupted. */
  stepsTaken?: number;
  /** Delta frame interval; about 20 ms. */
  coalesceMs?: number;
  /** Largest tool output handed to the model, in characters. */
  maxToolOutputChars?: number;
  now?: () => number;
}

/**
 * An abort reason that suspends the run instead of cancelling it (a server
 * shutting down): it stays in progress, to be resumed from its log.
 */
export class RunSuspended extends Error {
  constructor() {
    super('the run was suspended');
    this.name = 'RunSuspended';
  }
}

/** Why the loop stopped before the model was done: set by the caller's abort reason. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelled';
  }
}

const DEFAULT_APPROVAL_TTL_MS = 60 * 60 * 1000;

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
  let usage = { ...EMPTY_USAGE };
  const guard = guardModel(input.model, { ...input, parallelToolCalls: input.settings.parallelToolCalls });

  try {
    if (response.status === 'in_progress') {
      // Resuming after the process that ran it stopped: keep what was finished.
      closeOpenItems(response, emit);
      runItems.push(...resumedItems(response, input.newId, emit, () => response.output.length));
    } else {
      emit({
        type: 'response.in_progress',
        response: { ...response, status: transition(response.status, 'in_progress') },
      });
      // Approvals answered in this request: run the approved calls, tell the model about the rest.
      runItems.push(
        ...(await answerApprovals(input, toolsByName, emit, () => response.output.length, now())),
      );
    }

    for (let step = (input.stepsTaken ?? 0) + 1; ; step++) {
      if (step > input.maxSteps) return await finish('incomplete', incomplete('max_steps', usage));
      throwIfAborted(input.signal);
      const messages = fitToBudget(
        system,
        itemsToMessages([...input.history, ...runItems]),
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
      const approvalCalls = turn.calls.filter(needsApproval);
      for (const call of approvalCalls) {
        const request: ApprovalRequestItem = {
          type: 'approval_request',
          id: input.newId('apr'),
          call_id: call.call.id,
          name: call.call.name,
          arguments: call.call.arguments,
          expires_at: now() + Math.ceil((input.approvalTtlMs ?? DEFAULT_APPROVAL_TTL_MS) / 1000),
          status: 'completed',
        };
        const index = response.output.length;
        emit({ type: 'response.output_item.added', output_index: index, item: request });
        emit({ type: 'response.output_item.done', output_index: index, item: request });
      }
      const outputs = await executeToolCalls(serverCalls, {
        tools: toolsByName,
        signal: input.signal,
        maxOutputChars: input.maxToolOutputChars ?? 64_000,
        newId: () => input.newId('fco'),
        newItemId: (prefix) => input.newId(prefix),
        emit,
        outputIndex: () => response.output.length,
        ...(input.toolScope ? { scope: input.toolScope } : {}),
      });
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

/**
 * Answers the approval requests this run's input responds to: an approved,
 * unexpired call runs now; a denied or expired one goes back to the model as
 * such. Either way the call gets its function_call_output.
 */
async function answerApprovals(
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

interface PendingCall {
  item: FunctionCallItem;
  outputIndex: number;
  call: ModelToolCall;
}

interface Turn {
  items: OutputItem[];
  calls: PendingCall[];
  usage: { input: number; output: number };
  finishReason: string;
}

/** One model call, streamed into output items and events. */
async function streamTurn(
  input: RunLoopInput,
  messages: ModelMessage[],
  definitions: RunLoopInput['tools'][number]['definition'][],
  start: ResponseObject,
  emit: (event: ResponseEventBody) => void,
): Promise<Turn> {
  let outputCount = start.output.length;
  const items: OutputItem[] = [];
  const calls = new Map<number, PendingCall>();
  let message: { item: MessageItem; index: number; text: string; coalescer: DeltaCoalescer } | undefined;
  const logprobs = new LogprobBuffer();
  let reasoning: { item: ReasoningItem; index: number; text: string; coalescer: DeltaCoalescer } | undefined;
  const argCoalescers = new Map<number, DeltaCoalescer>();
  const usage = { input: 0, output: 0 };
  let finishReason = 'stop';
  const interval = input.coalesceMs ?? 20;

  const closeMessage = () => {
    if (!message) return;
    const { item, index, text, coalescer } = message;
    coalescer.flush();
    // Pages the run's web tools read, cited where the answer names them.
    // Passages of the run's last file search, cited where the answer writes [n].
    const annotations = [
      ...findUrlCitations(text, citationSources([...input.history, ...start.output])),
      ...findFileCitations(text, fileCitationSources(start.output)),
    ];
    for (const [annotationIndex, annotation] of annotations.entries()) {
      emit({
        type: 'response.output_text.annotation.added',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        annotation_index: annotationIndex,
        annotation,
      });
    }
    const tokens = logprobs.close();
    const part = {
      type: 'output_text' as const,
      text,
      annotations,
      ...(tokens.length ? { logprobs: tokens } : {}),
    };
    emit({
      type: 'response.output_text.done',
      item_id: item.id,
      output_index: index,
      content_index: 0,
      text,
      logprobs: tokens,
    });
    emit({
      type: 'response.content_part.done',
      item_id: item.id,
      output_index: index,
      content_index: 0,
      part,
    });
    const done: MessageItem = { ...item, content: [part], status: 'completed' };
    emit({ type: 'response.output_item.done', output_index: index, item: done });
    items.push(done);
    message = undefined;
  };
  const closeReasoning = () => {
    if (!reasoning) return;
    const { item, index, text, coalescer } = reasoning;
    coalescer.flush();
    emit({
      type: 'response.reasoning_text.done',
      item_id: item.id,
      output_index: index,
      content_index: 0,
      text,
    });
    const part = { type: 'reasoning_text' as const, text };
    emit({
      type: 'response.content_part.done',
      item_id: item.id,
      output_index: index,
      content_index: 0,
      part,
    });
    const done: ReasoningItem = { ...item, content: [part], status: 'completed' };
    emit({ type: 'response.output_item.done', output_index: index, item: done });
    items.push(done);
    reasoning = undefined;
  };
  const startCall = (index: number, id: string, name: string) => {
    const item: FunctionCallItem = {
      type: 'function_call',
      id: input.newId('fc'),
      call_id: id,
      name,
      arguments: '',
      status: 'in_progress',
    };
    const pending = { item, outputIndex: outputCount++, call: { id, name, arguments: '' } };
    calls.set(index, pending);
    emit({ type: 'response.output_item.added', output_index: pending.outputIndex, item });
    argCoalescers.set(
      index,
      new DeltaCoalescer(interval, (delta) =>
        emit({
          type: 'response.function_call_arguments.delta',
          item_id: item.id,
          output_index: pending.outputIndex,
          delta,
        }),
      ),
    );
    return pending;
  };

  const request = {
    model: start.model,
    messages,
    tools: definitions,
    settings: input.settings,
    ...(input.toolChoice && definitions.length > 0 ? { toolChoice: input.toolChoice } : {}),
  };
  for await (const part of input.model.stream(request, input.signal)) {
    switch (part.type) {
      case 'text-delta': {
        if (!message) {
          closeReasoning();
          const item: MessageItem = {
            type: 'message',
            id: input.newId('msg'),
            role: 'assistant',
            content: [],
            status: 'in_progress',
          };
          const index = outputCount++;
          emit({ type: 'response.output_item.added', output_index: index, item });
          emit({
            type: 'response.content_part.added',
            item_id: item.id,
            output_index: index,
            content_index: 0,
            part: { type: 'output_text', text: '', annotations: [] },
          });
          const coalescer = new DeltaCoalescer(interval, (delta) =>
            emit({
              type: 'response.output_text.delta',
              item_id: item.id,
              output_index: index,
              content_index: 0,
              delta,
              logprobs: logprobs.take(),
            }),
          );
          message = { item, index, text: '', coalescer };
        }
        logprobs.add(part.logprobs);
        message.text += part.delta;
        message.coalescer.push(part.delta);
        break;
      }
      case 'reasoning-delta': {
        if (!reasoning) {
          const item: ReasoningItem = {
            type: 'reasoning',
            id: input.newId('rs'),
            summary: [],
            content: [],
            status: 'in_progress',
          };
          const index = outputCount++;
          emit({ type: 'response.output_item.added', output_index: index, item });
          // OpenAI's clients add the part before its deltas, as for a message's text.
          emit({
            type: 'response.content_part.added',
            item_id: item.id,
            output_index: index,
            content_index: 0,
            part: { type: 'reasoning_text', text: '' },
          });
          const coalescer = new DeltaCoalescer(interval, (delta) =>
            emit({
              type: 'response.reasoning_text.delta',
              item_id: item.id,
              output_index: index,
              content_index: 0,
              delta,
            }),
          );
          reasoning = { item, index, text: '', coalescer };
        }
        reasoning.text += part.delta;
        reasoning.coalescer.push(part.delta);
        break;
      }
      case 'tool-call-start':
        closeMessage();
        closeReasoning();
        if (!calls.has(part.index)) startCall(part.index, part.id, part.name);
        break;
      case 'tool-call-delta':
        argCoalescers.get(part.index)?.push(part.delta);
        break;
      case 'tool-call': {
        closeMessage();
        closeReasoning();
        const pending = calls.get(part.index) ?? startCall(part.index, part.call.id, part.call.name);
        argCoalescers.get(part.index)?.flush();
        pending.call = part.call;
        pending.item = {
          ...pending.item,
          call_id: part.call.id,
          arguments: part.call.arguments,
          status: 'completed',
        };
        emit({
          type: 'response.function_call_arguments.done',
          item_id: pending.item.id,
          output_index: pending.outputIndex,
          arguments: part.call.arguments,
          name: part.call.name,
        });
        emit({ type: 'response.output_item.done', output_index: pending.outputIndex, item: pending.item });
        items.push(pending.item);
        break;
      }
      case 'usage':
        // Some servers report usage more than once in a stream; the last report counts.
        usage.input = part.usage.inputTokens;
        usage.output = part.usage.outputTokens;
        break;
      case 'finish':
        finishReason = part.reason;
        break;
    }
  }
  closeReasoning();
  closeMessage();
  const complete = [...calls.values()].filter((call) => call.item.status === 'completed');
  return { items, calls: complete, usage, finishReason };
}

export type { FunctionCallOutputItem, PendingCall };
