import type { LanguageModel, ModelRequest, ModelStreamPart, SseMessage } from '@agentd/spec';
import { ModelError, redactModelError } from '../model-error.js';
import type { ResolvedOptions } from '../openai-compatible-options.js';
import { openStream } from './open-stream.js';
import { type ReadProgress, readSseEvents } from './read-sse-events.js';
import { retryDelayMs, sleep } from './retry-delay.js';

/** Turns the events of one response into stream parts; one decoder per attempt. */
export interface TurnDecoder {
  push(event: SseMessage): ModelStreamPart[];
  /** True once the stream's terminal event arrived; the rest of the body is not read. */
  readonly done: boolean;
  /** Called at the end of the stream: the closing parts, or a throw if the stream was cut short. */
  end(): ModelStreamPart[];
}

/**
 * One model turn over HTTP + SSE: the request, retries with backoff while no
 * byte of the answer has arrived, the idle time-out, and the caller's abort.
 */
export async function* streamTurn(
  options: ResolvedOptions,
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
  createDecoder: () => TurnDecoder,
): AsyncGenerator<ModelStreamPart> {
  signal?.throwIfAborted();
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    const progress: ReadProgress = { received: false };
    let failure: ModelError;
    let finished = false;
    try {
      const stream = await openStream(options, path, body, controller);
      const decoder = createDecoder();
      for await (const event of readSseEvents(stream, options.idleTimeoutMs, controller, progress)) {
        yield* decoder.push(event);
        if (decoder.done) break;
      }
      yield* decoder.end();
      finished = true;
      return;
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? new ModelError('model_aborted', 'The request was aborted');
      if (!(error instanceof ModelError)) throw error;
      failure = redactModelError(error, options.apiKey);
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
      // Closes the connection when the consumer stopped early or the attempt failed
      // (a finished stream has released it; an abort would only cost an exception object).
      if (!finished) controller.abort();
    }
    if (!failure.retryable || progress.received || attempt >= options.maxRetries) throw failure;
    await sleep(
      retryDelayMs(attempt, {
        baseDelayMs: options.retryBaseDelayMs,
        maxDelayMs: options.retryMaxDelayMs,
        retryAfterMs: failure.retryAfterMs,
      }),
      signal,
    );
  }
}

/**
 * A LanguageModel behind an OpenAI-compatible streaming endpoint: each turn
 * posts `toBody(request)` to `path` and decodes the answer with a new decoder.
 */
export function streamingModel(
  provider: string,
  options: ResolvedOptions,
  path: string,
  toBody: (request: ModelRequest) => unknown,
  createDecoder: () => TurnDecoder,
): LanguageModel {
  return {
    provider,
    stream: (request, signal) => streamTurn(options, path, toBody(request), signal, createDecoder),
  };
}
