import type { FinishReason, ModelStreamPart, TokenLogprob } from '@agentd/spec';
import type { TurnDecoder } from '../http/stream-turn.js';
import { ModelError } from '../model-error.js';
import { generateToolCallId } from '../tool-call-id.js';

interface FunctionCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

interface RawItem {
  id?: string;
  type?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
}

interface RawEvent {
  type?: string;
  delta?: string;
  logprobs?: TokenLogprob[];
  item_id?: string;
  output_index?: number;
  item?: RawItem;
  response?: {
    usage?: { input_tokens?: number; output_tokens?: number } | null;
    incomplete_details?: { reason?: string } | null;
    error?: { code?: string; message?: string } | null;
  };
  code?: string | null;
  message?: string;
}

/** Decodes the Responses API event stream; `response.completed` or `.incomplete` ends it. */
export function createResponsesEventDecoder(newId: () => string = generateToolCallId): TurnDecoder {
  const calls = new Map<string, FunctionCall>();
  let done = false;

  const callFor = (event: RawEvent, item?: RawItem): FunctionCall | undefined =>
    calls.get(item?.id ?? event.item_id ?? '') ?? calls.get(`#${event.output_index}`);

  const addCall = (event: RawEvent, item: RawItem): FunctionCall => {
    const call: FunctionCall = {
      index: calls.size,
      id: item.call_id || newId(),
      name: item.name ?? '',
      arguments: item.arguments ?? '',
    };
    calls.set(item.id ?? `#${event.output_index}`, call);
    return call;
  };

  const startParts = (call: FunctionCall): ModelStreamPart[] => [
    { type: 'tool-call-start', index: call.index, id: call.id, name: call.name },
    ...(call.arguments
      ? [{ type: 'tool-call-delta' as const, index: call.index, delta: call.arguments }]
      : []),
  ];

  const finish = (event: RawEvent, reason: FinishReason): ModelStreamPart[] => {
    done = true;
    const usage = event.response?.usage;
    const parts: ModelStreamPart[] = [];
    if (usage)
      parts.push({
        type: 'usage',
        usage: { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0 },
      });
    parts.push({ type: 'finish', reason });
    return parts;
  };

  return {
    get done() {
      return done;
    },
    push(sse) {
      if (done || sse.data.trim() === '' || sse.data.trim() === '[DONE]') return [];
      const event = parseEvent(sse.data);
      switch (event.type ?? sse.event) {
        case 'response.output_text.delta':
          if (!event.delta) return [];
          return [
            {
              type: 'text-delta',
              delta: event.delta,
              ...(Array.isArray(event.logprobs) && event.logprobs.length > 0
                ? { logprobs: event.logprobs }
                : {}),
            },
          ];
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          return event.delta ? [{ type: 'reasoning-delta', delta: event.delta }] : [];
        case 'response.output_item.added':
          return event.item?.type === 'function_call' ? startParts(addCall(event, event.item)) : [];
        case 'response.function_call_arguments.delta': {
          const call = callFor(event);
          if (!call || !event.delta) return [];
          call.arguments += event.delta;
          return [{ type: 'tool-call-delta', index: call.index, delta: event.delta }];
        }
        case 'response.output_item.done': {
          const item = event.item;
          if (item?.type !== 'function_call') return [];
          const known = callFor(event, item);
          const call = known ?? addCall(event, item);
          if (typeof item.arguments === 'string') call.arguments = item.arguments;
          const parts = known ? [] : startParts(call);
          return [...parts, { type: 'tool-call', index: call.index, call: toCall(call, item) }];
        }
        case 'response.completed':
          return finish(event, calls.size > 0 ? 'tool-calls' : 'stop');
        case 'response.incomplete':
          return finish(event, incompleteReason(event.response?.incomplete_details?.reason));
        case 'response.failed': {
          const error = event.response?.error;
          throw new ModelError(
            'model_stream_error',
            `The response failed: ${error?.message ?? 'no reason given'}${error?.code ? ` (${error.code})` : ''}`,
          );
        }
        case 'error':
          throw new ModelError(
            'model_stream_error',
            `The server reported an error mid-stream: ${event.message ?? 'no message'}${event.code ? ` (${event.code})` : ''}`,
          );
        default:
          return [];
      }
    },
    end() {
      if (!done)
        throw new ModelError('model_stream_error', 'The stream ended before the response completed', {
          retryable: true,
        });
      return [];
    },
  };
}

function parseEvent(data: string): RawEvent {
  try {
    const event = JSON.parse(data) as RawEvent;
    if (event && typeof event === 'object') return event;
  } catch {
    // reported below
  }
  throw new ModelError('model_stream_error', `The server sent a malformed event: ${data.slice(0, 200)}`);
}

function toCall(call: FunctionCall, item: RawItem) {
  return { id: call.id, name: item.name || call.name, arguments: call.arguments };
}

function incompleteReason(reason: string | undefined): FinishReason {
  if (reason === 'max_output_tokens') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  return 'other';
}
