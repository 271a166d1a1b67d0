import type {
  FunctionCallItem,
  MessageItem,
  ModelMessage,
  ModelToolCall,
  OutputItem,
  OutputTextPart,
  ReasoningItem,
  ReasoningTextPart,
  ResponseEventBody,
  ResponseObject,
} from '@agentd/spec';
import { fileCitationSources, findFileCitations } from './file-citations.js';
import { LogprobBuffer } from './logprob-buffer.js';
import { withPauseTicks } from './pause-ticks.js';
import { checkedEvent, type StreamCheck, type StreamCheckStep, WITHHELD_ANSWER } from './run-checks.js';
import type { RunLoopInput } from './run-loop-input.js';
import { DeltaCoalescer } from './text-coalescer.js';
import { citationSources, findUrlCitations } from './url-citations.js';

/** Where a delta goes: its item, the item's place in the output, and the part (always the first). */
interface ContentRef {
  item_id: string;
  output_index: number;
  content_index: number;
}

export interface PendingCall {
  item: FunctionCallItem;
  outputIndex: number;
  call: ModelToolCall;
}

export interface Turn {
  items: OutputItem[];
  calls: PendingCall[];
  usage: { input: number; output: number };
  finishReason: string;
}

/** One model call, streamed into output items and events. */
export async function streamTurn(
  input: RunLoopInput,
  messages: ModelMessage[],
  definitions: RunLoopInput['tools'][number]['definition'][],
  start: ResponseObject,
  emit: (event: ResponseEventBody) => void,
): Promise<Turn> {
  let outputCount = start.output.length;
  const items: OutputItem[] = [];
  const calls = new Map<number, PendingCall>();
  let message:
    | { item: MessageItem; index: number; text: string; coalescer: DeltaCoalescer; check?: StreamCheck }
    | undefined;
  /** Set when a check on the streamed answer blocked it: the turn ends there. */
  let blocked = false;
  const logprobs = new LogprobBuffer();
  let reasoning: { item: ReasoningItem; index: number; text: string; coalescer: DeltaCoalescer } | undefined;
  const argCoalescers = new Map<number, DeltaCoalescer>();
  const usage = { input: 0, output: 0 };
  let finishReason = 'stop';
  const interval = input.coalesceMs ?? 20;

  /** Hands checked text to the client, or ends the answer where a check blocked it. */
  const apply = (step: StreamCheckStep) => {
    if (!message) return;
    const recorded = checkedEvent(
      'model_output',
      { action: step.type === 'block' ? 'block' : 'allow', verdicts: step.verdicts },
      { item_id: message.item.id, ...(step.type === 'block' ? { withheld: step.withheld } : {}) },
    );
    if (recorded) emit(recorded);
    if (step.type === 'block') {
      blocked = true;
      finishReason = 'content-filter';
      return;
    }
    if (!step.text) return;
    message.text += step.text;
    message.coalescer.push(step.text);
  };
  const closeMessage = () => {
    if (!message) return;
    if (message.check && !blocked) apply(message.check.end());
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
    // A blocked answer says so where it stops: what was released stays, the rest is a refusal.
    const content = blocked ? [part, { type: 'refusal' as const, refusal: WITHHELD_ANSWER }] : [part];
    const done: MessageItem = { ...item, content, status: 'completed' };
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
  /**
   * Announces a streamed message or reasoning item and its empty first part
   * (OpenAI's clients add the part before its deltas), and returns its index
   * and the coalescer its deltas go through.
   */
  const openItem = (
    item: MessageItem | ReasoningItem,
    part: OutputTextPart | ReasoningTextPart,
    deltaEvent: (delta: string, ref: ContentRef) => ResponseEventBody,
  ) => {
    const index = outputCount++;
    const ref = { item_id: item.id, output_index: index, content_index: 0 };
    emit({ type: 'response.output_item.added', output_index: index, item });
    emit({ type: 'response.content_part.added', ...ref, part });
    return { index, coalescer: new DeltaCoalescer(interval, (delta) => emit(deltaEvent(delta, ref))) };
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
  // While a check holds text back, a pause in the model's stream releases it (see withPauseTicks).
  const holding = () => (message?.check?.flush && !blocked ? message.check.pauseMs : undefined);
  for await (const part of withPauseTicks(input.model.stream(request, input.signal), holding)) {
    switch (part.type) {
      case 'pause':
        if (message?.check?.flush) apply(message.check.flush());
        break;
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
          const { index, coalescer } = openItem(
            item,
            { type: 'output_text', text: '', annotations: [] },
            (delta, ref) => ({
              type: 'response.output_text.delta',
              ...ref,
              delta,
              logprobs: logprobs.take(),
            }),
          );
          const check = input.checks?.stream?.();
          message = { item, index, text: '', coalescer, ...(check ? { check } : {}) };
        }
        logprobs.add(part.logprobs);
        if (message.check) apply(message.check.push(part.delta));
        else apply({ type: 'release', text: part.delta, verdicts: [] });
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
          const { index, coalescer } = openItem(item, { type: 'reasoning_text', text: '' }, (delta, ref) => ({
            type: 'response.reasoning_text.delta',
            ...ref,
            delta,
          }));
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
        if (!blocked) finishReason = part.reason;
        break;
    }
    // Leaving the stream closes the model's answer: nothing after a block is read.
    if (blocked) break;
  }
  closeReasoning();
  closeMessage();
  const complete = [...calls.values()].filter((call) => call.item.status === 'completed');
  return { items, calls: complete, usage, finishReason };
}
