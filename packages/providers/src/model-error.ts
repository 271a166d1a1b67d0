import { AgentdError, type ErrorCategory } from '@agentd/spec';

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
 * Whose trouble it is, for the HTTP status: the model server answered wrong
 * or too late (`upstream`, a 502), could not be reached or the call was cut
 * short by a cancel or a shutdown (`unavailable`, a 503: try again), or it
 * asked to slow down (an HTTP 429 stays a 429).
 */
const CATEGORY: Record<ModelErrorCode, ErrorCategory> = {
  model_http_error: 'upstream',
  model_timeout: 'upstream',
  model_idle_timeout: 'upstream',
  model_stream_error: 'upstream',
  model_connection_error: 'unavailable',
  model_aborted: 'unavailable',
};

function categoryOf(code: ModelErrorCode, status: number | undefined): ErrorCategory {
  return code === 'model_http_error' && status === 429 ? 'rate_limit' : CATEGORY[code];
}

/**
 * The one error a model provider throws. `retryable` says whether the same
 * request may succeed if sent again; the provider itself retries only before
 * any stream data arrived. Messages never carry the API key.
 */
export class ModelError extends AgentdError {
  override readonly name = 'ModelError';
  declare readonly code: ModelErrorCode;
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: ModelErrorCode, message: string, options: ModelErrorOptions = {}) {
    super(categoryOf(code, options.status), code, message, { cause: options.cause });
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
