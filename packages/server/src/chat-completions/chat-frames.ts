import type { ResponseObject } from '@agentd/spec';
import { AgentdError } from '../errors.js';
import { errorBody } from '../http/error-response.js';
import { finishReasonOf, pendingToolCalls, usageOf } from './chat-answer.js';

/** What every chat object of one run repeats: its id (`chatcmpl-<response id>`), time and model. */
export interface ChatRun {
  id: string;
  created: number;
  model: string;
}

/** The non-streamed answer: a `chat.completion` with one choice and the run's usage. */
export function completionOf(run: ChatRun, text: string, final: ResponseObject) {
  const toolCalls = pendingToolCalls(final);
  return {
    id: run.id,
    object: 'chat.completion' as const,
    created: run.created,
    model: run.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: text.length > 0 || toolCalls.length === 0 ? text : null,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(final, toolCalls),
      },
    ],
    usage: usageOf(final),
  };
}

/** One `chat.completion.chunk`; with include_usage every chunk carries `usage: null` until the last. */
export function chunkOf(
  run: ChatRun,
  delta: Record<string, unknown>,
  finish: string | null,
  includeUsage: boolean,
) {
  return {
    id: run.id,
    object: 'chat.completion.chunk' as const,
    created: run.created,
    model: run.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** A failed run as the error a chat client sees: the model's failure, naming the response. */
export function chatError(final: ResponseObject): AgentdError & { toJSON(): unknown } {
  const error = new AgentdError(
    'upstream',
    final.error?.code ?? 'run_failed',
    `${final.error?.message ?? 'The run failed.'} (response ${final.id})`,
  );
  return Object.assign(error, { toJSON: () => errorBody(error) });
}
