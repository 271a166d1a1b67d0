import { fakeId, interleave, splitArguments, type TurnContent } from './turn-content.js';

export interface ResponsesContext {
  id: string;
  createdAt: number;
  model: string;
  // biome-ignore lint/suspicious/noExplicitAny: echoes arbitrary request fields
  request: any;
}

type Event = { type: string } & Record<string, unknown>;

/**
 * The Responses API event sequence for a turn: response.created and
 * .in_progress, then per output item .output_item.added, its deltas and
 * .output_item.done, then response.completed (or .incomplete / .failed).
 * The caller numbers them with `sequence_number`.
 */
export function responsesEvents(
  content: TurnContent,
  context: ResponsesContext,
  interleaveCalls = false,
  streamError?: { message: string; code?: string },
): Event[] {
  const events: Event[] = [
    { type: 'response.created', response: responseObject(context, 'in_progress', []) },
    { type: 'response.in_progress', response: responseObject(context, 'in_progress', []) },
  ];
  if (streamError) {
    const failed = responseObject(context, 'failed', []);
    failed.error = { code: streamError.code ?? 'server_error', message: streamError.message };
    events.push({ type: 'response.failed', response: failed });
    return events;
  }
  const output: object[] = [];
  if (content.reasoningChunks.length > 0) events.push(...reasoningItem(content, output));
  if (content.textChunks.length > 0) events.push(...messageItem(content, output));
  const callEvents = content.toolCalls.map((call) => {
    const outputIndex = output.length;
    const item = {
      id: fakeId('fc_'),
      type: 'function_call',
      status: 'in_progress',
      arguments: '',
      call_id: call.id,
      name: call.name,
    };
    const done = { ...item, status: 'completed', arguments: call.arguments };
    output.push(done);
    const at = { item_id: item.id, output_index: outputIndex };
    return [
      { type: 'response.output_item.added', output_index: outputIndex, item },
      ...splitArguments(call.arguments).map((delta) => ({
        type: 'response.function_call_arguments.delta',
        ...at,
        delta,
      })),
      { type: 'response.function_call_arguments.done', ...at, name: call.name, arguments: call.arguments },
      { type: 'response.output_item.done', output_index: outputIndex, item: done },
    ];
  });
  events.push(...(interleaveCalls ? interleave(callEvents) : callEvents.flat()));

  const incomplete = content.finishReason === 'length' || content.finishReason === 'content_filter';
  const final = responseObject(context, incomplete ? 'incomplete' : 'completed', output);
  if (incomplete)
    final.incomplete_details = {
      reason: content.finishReason === 'length' ? 'max_output_tokens' : 'content_filter',
    };
  final.usage = responsesUsage(content);
  events.push({ type: incomplete ? 'response.incomplete' : 'response.completed', response: final });
  return events;
}

/** The final response object alone, for a non-streaming request. */
export function finalResponse(events: Event[]): unknown {
  return events.at(-1)?.response;
}

function reasoningItem(content: TurnContent, output: object[]): Event[] {
  const outputIndex = output.length;
  const id = fakeId('rs_');
  const part = { type: 'summary_text', text: content.reasoning };
  const done = { id, type: 'reasoning', summary: [part] };
  output.push(done);
  const at = { item_id: id, output_index: outputIndex, summary_index: 0 };
  return [
    {
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { id, type: 'reasoning', summary: [] },
    },
    { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
    ...content.reasoningChunks.map((delta) => ({
      type: 'response.reasoning_summary_text.delta',
      ...at,
      delta,
    })),
    { type: 'response.reasoning_summary_text.done', ...at, text: content.reasoning },
    { type: 'response.reasoning_summary_part.done', ...at, part },
    { type: 'response.output_item.done', output_index: outputIndex, item: done },
  ];
}

function messageItem(content: TurnContent, output: object[]): Event[] {
  const outputIndex = output.length;
  const id = fakeId('msg_');
  const part = { type: 'output_text', annotations: [], logprobs: [], text: content.text };
  const done = { id, type: 'message', status: 'completed', content: [part], role: 'assistant' };
  output.push(done);
  const at = { item_id: id, output_index: outputIndex, content_index: 0 };
  return [
    {
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
    },
    { type: 'response.content_part.added', ...at, part: { ...part, text: '' } },
    ...content.textChunks.map((delta) => ({
      type: 'response.output_text.delta',
      ...at,
      delta,
      logprobs: [],
    })),
    { type: 'response.output_text.done', ...at, text: content.text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part },
    { type: 'response.output_item.done', output_index: outputIndex, item: done },
  ];
}

function responseObject(
  context: ResponsesContext,
  status: string,
  output: object[],
): Record<string, unknown> {
  const request = context.request ?? {};
  return {
    id: context.id,
    object: 'response',
    created_at: context.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: context.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
  };
}

function responsesUsage(content: TurnContent) {
  const { prompt_tokens, completion_tokens } = content.usage;
  return {
    input_tokens: prompt_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: prompt_tokens + completion_tokens,
  };
}
