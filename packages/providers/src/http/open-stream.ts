import { ModelError } from '../model-error.js';
import type { ResolvedOptions } from '../openai-compatible-options.js';
import type { ByteReader, HttpAnswer } from './http-post.js';
import { parseRetryAfter, RETRYABLE_STATUSES } from './retry-delay.js';

/**
 * POSTs a JSON body and returns a reader of the response body once a 2xx status arrives.
 * `controller` aborts the request: the caller's signal, time-outs, or closing.
 */
export async function openStream(
  options: ResolvedOptions,
  path: string,
  body: unknown,
  controller: AbortController,
): Promise<ByteReader> {
  const url = `${options.baseURL}${path}`;
  const timer = setTimeout(
    () =>
      controller.abort(
        new ModelError('model_timeout', `No response from ${url} within ${options.requestTimeoutMs} ms`),
      ),
    options.requestTimeoutMs,
  );
  try {
    let response: HttpAnswer;
    try {
      response = await options.post(url, {
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      throw abortReason(controller.signal) ?? connectionError(`Could not connect to ${url}`, error);
    }
    if (response.status < 200 || response.status > 299) throw await httpError(response, url);
    const reader = response.body();
    if (!reader) throw new ModelError('model_stream_error', `${url} answered without a body`);
    return reader;
  } finally {
    clearTimeout(timer);
  }
}

/** The ModelError that a time-out put on the signal, if that is why it aborted. */
export function abortReason(signal: AbortSignal): ModelError | undefined {
  return signal.aborted && signal.reason instanceof ModelError ? signal.reason : undefined;
}

export function connectionError(what: string, error: unknown): ModelError {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('model_connection_error', `${what}: ${message}${cause}`, { cause: error });
}

async function httpError(response: HttpAnswer, url: string): Promise<ModelError> {
  const text = await response.text().catch(() => '');
  const retryable = RETRYABLE_STATUSES.has(response.status);
  return new ModelError(
    'model_http_error',
    `${url} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: ${serverMessage(text)}`,
    {
      status: response.status,
      retryable,
      retryAfterMs: retryable ? parseRetryAfter(response.headers) : undefined,
    },
  );
}

/** The message in an OpenAI, vLLM or FastAPI error body, or the body itself. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
      return (error as { message: string }).message;
    if (typeof body.message === 'string') return body.message;
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON: fall through to the raw text
  }
  const trimmed = text.trim();
  if (!trimmed) return '(empty body)';
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
