export type ModelErrorCode =
  | 'model_http_error'
  | 'model_timeout'
  | 'model_idle_timeout'
  | 'model_stream_error'
  | 'model_connection_error'
  | 'model_aborted';

export interface ModelErrorOptions {
  /** The HTTP status, for `model_http_error`. */
  status?: number;
  /** Defaults by code: time-outs and connection errors are transient, the rest are not. */
  retryable?: boolean;
  /** What the server asked for in `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

const TRANSIENT_CODES: ReadonlySet<ModelErrorCode> = new Set([
  'model_timeout',
  'model_idle_timeout',
  'model_connection_error',
]);

/**
 * The one error a model provider throws. `retryable` says whether the same
 * request may succeed if sent again; the provider itself retries only before
 * any stream data arrived. Messages never carry the API key.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: ModelErrorCode, message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? TRANSIENT_CODES.has(code);
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** The same error with every occurrence of `secret` in its message replaced. */
export function redactModelError(error: ModelError, secret: string | undefined): ModelError {
  if (!secret || !error.message.includes(secret)) return error;
  return new ModelError(error.code, error.message.split(secret).join('[redacted]'), {
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
  });
}
