import type { FinishReason, ModelStreamPart, TokenLogprob } from '@agentd/spec';
import type { TurnDecoder } from '../http/stream-turn.js';
import { ModelError } from '../model-error.js';
import { generateToolCallId } from '../tool-call-id.js';

interface PendingCall {
  id?: string;
  name: string;
  arguments: string;
  started: boolean;
}

/**
 * Decodes `chat.completion.chunk` events as OpenAI, vLLM, Ollama and
 * llama.cpp send them. Tool calls are assembled by `index`; each is emitted
 * complete when the finish reason arrives, and `finish` comes at the very end
 * so that a usage chunk sent after the finish reason still precedes it.
 */
export function createChatChunkDecoder(newId: () => string = generateToolCallId): TurnDecoder {
  const calls = new Map<number, PendingCall>();
  let finishReason: string | undefined;
  let callsEmitted = false;
  let done = false;

  const start = (index: number, call: PendingCall): ModelStreamPart[] => {
    call.started = true;
    call.id ??= newId();
    const parts: ModelStreamPart[] = [{ type: 'tool-call-start', index, id: call.id, name: call.name }];
    if (call.arguments) parts.push({ type: 'tool-call-delta', index, delta: call.arguments });
    return parts;
  };

  const toolCallDelta = (raw: RawToolCall, position: number): ModelStreamPart[] => {
    const index = typeof raw.index === 'number' ? raw.index : position;
    let call = calls.get(index);
    if (!call) {
      call = { name: '', arguments: '', started: false };
      calls.set(index, call);
    }
    // Some servers repeat the id and name on every delta: only the first counts.
    if (!call.started) {
      if (typeof raw.id === 'string' && raw.id) call.id = raw.id;
      if (typeof raw.function?.name === 'string' && raw.function.name) call.name = raw.function.name;
    }
    const args = argumentsText(raw.function?.arguments);
    call.arguments += args;
    if (!call.started) return call.name ? start(index, call) : [];
    return args ? [{ type: 'tool-call-delta', index, delta: args }] : [];
  };

  const completeCalls = (): ModelStreamPart[] => {
    if (callsEmitted) return [];
    callsEmitted = true;
    const parts: ModelStreamPart[] = [];
    for (const [index, call] of [...calls].sort(([a], [b]) => a - b)) {
      if (!call.started) parts.push(...start(index, call));
      parts.push({
        type: 'tool-call',
        index,
        call: { id: call.id!, name: call.name, arguments: call.arguments },
      });
    }
    return parts;
  };

  return {
    get done() {
      return done;
    },
    push(event) {
      if (done || event.data.trim() === '') return [];
      if (event.data.trim() === '[DONE]') {
        done = true;
        return [];
      }
      const chunk = parseChunk(event.data);
      const parts: ModelStreamPart[] = [];
      for (const choice of chunk.choices ?? []) {
        if ((choice.index ?? 0) !== 0) continue;
        const delta = choice.delta ?? {};
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === 'string' && reasoning)
          parts.push({ type: 'reasoning-delta', delta: reasoning });
        if (typeof delta.content === 'string' && delta.content) {
          const logprobs = choice.logprobs?.content;
          parts.push({
            type: 'text-delta',
            delta: delta.content,
            ...(Array.isArray(logprobs) ? { logprobs } : {}),
          });
        }
        if (!callsEmitted)
          for (const [i, raw] of (delta.tool_calls ?? []).entries()) parts.push(...toolCallDelta(raw, i));
        if (choice.finish_reason && finishReason === undefined) {
          finishReason = choice.finish_reason;
          parts.push(...completeCalls());
        }
      }
      const usage = toUsage(chunk);
      if (usage) parts.push(usage);
      return parts;
    },
    end() {
      if (finishReason === undefined)
        throw new ModelError('model_stream_error', 'The stream ended before a finish reason arrived', {
          retryable: true,
        });
      return [...completeCalls(), { type: 'finish', reason: mapFinishReason(finishReason, calls.size > 0) }];
    },
  };
}

interface RawToolCall {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: unknown };
}

interface RawChunk {
  choices?: {
    index?: number;
    delta?: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: RawToolCall[];
    };
    finish_reason?: string | null;
    /** With `logprobs: true`: the chunk's tokens. */
    logprobs?: { content?: TokenLogprob[] | null } | null;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  /** llama.cpp's own counters, when it sends no `usage`. */
  timings?: { prompt_n?: number; predicted_n?: number };
  error?: { message?: string; code?: unknown } | string;
}

function parseChunk(data: string): RawChunk {
  let chunk: RawChunk;
  try {
    chunk = JSON.parse(data) as RawChunk;
  } catch {
    throw new ModelError('model_stream_error', `The server sent a malformed chunk: ${data.slice(0, 200)}`);
  }
  if (chunk === null || typeof chunk !== 'object')
    throw new ModelError('model_stream_error', `The server sent a malformed chunk: ${data.slice(0, 200)}`);
  if (chunk.error) {
    const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown error');
    throw new ModelError('model_stream_error', `The server reported an error mid-stream: ${message}`);
  }
  return chunk;
}

/** Servers send arguments as a JSON string; a few send the object itself. */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value && typeof value === 'object' ? JSON.stringify(value) : '';
}

function toUsage(chunk: RawChunk): ModelStreamPart | undefined {
  const { usage, timings } = chunk;
  if (usage && (typeof usage.prompt_tokens === 'number' || typeof usage.completion_tokens === 'number'))
    return {
      type: 'usage',
      usage: { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 },
    };
  if (!usage && timings && typeof timings.prompt_n === 'number' && typeof timings.predicted_n === 'number')
    return { type: 'usage', usage: { inputTokens: timings.prompt_n, outputTokens: timings.predicted_n } };
  return undefined;
}

/**
 * Some models (gpt-4o, older Ollama) end a turn of tool calls with `stop`;
 * the calls are what the caller must act on, so that is reported.
 */
function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'stop':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}
