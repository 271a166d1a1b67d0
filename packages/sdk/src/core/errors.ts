import { AgentdError, type ErrorCategory } from '@agentd/spec';

/**
 * An error answer of the API (`{ error: { type, code, message, param } }`),
 * as an AgentdError: `status` is the HTTP status, `code` the stable code to
 * branch on, `param` the request field at fault. Subclasses by status so
 * callers can `instanceof` the cases they handle.
 */
export class AgentdAPIError extends AgentdError {
  readonly status: number;
  /** The body's `type` (`invalid_request_error`, ...). */
  readonly type: string;
  /** The server's request id (`x-request-id`), to quote in a bug report. */
  readonly requestId: string | null;

  constructor(status: number, body: ErrorFields, requestId: string | null) {
    super(categoryOf(status), body.code, body.message, { param: body.param });
    this.name = 'AgentdAPIError';
    this.status = status;
    this.type = body.type;
    this.requestId = requestId;
  }
}

export class BadRequestError extends AgentdAPIError {}
export class AuthenticationError extends AgentdAPIError {}
export class PermissionDeniedError extends AgentdAPIError {}
export class NotFoundError extends AgentdAPIError {}
export class ConflictError extends AgentdAPIError {}
export class RateLimitError extends AgentdAPIError {}
export class InternalServerError extends AgentdAPIError {}

/** The server could not be reached, or the connection broke before an answer. */
export class APIConnectionError extends AgentdError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', 'connection_error', message, { cause });
    this.name = 'APIConnectionError';
  }
}

/** A stream broke more times in a row than allowed, without an event in between. */
export class StreamResumeError extends AgentdError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', 'stream_resume_failed', message, { cause });
    this.name = 'StreamResumeError';
  }
}

export interface ErrorFields {
  type: string;
  code: string;
  message: string;
  param: string | null;
}

/** Builds the typed error of an error answer, whatever its body holds. */
export function errorFromResponse(status: number, body: unknown, requestId: string | null): AgentdAPIError {
  const fields = readError(status, body);
  const Class =
    status === 400 || status === 422
      ? BadRequestError
      : status === 401
        ? AuthenticationError
        : status === 403
          ? PermissionDeniedError
          : status === 404
            ? NotFoundError
            : status === 409
              ? ConflictError
              : status === 429
                ? RateLimitError
                : status >= 500
                  ? InternalServerError
                  : AgentdAPIError;
  const error = new Class(status, fields, requestId);
  error.name = Class.name;
  return error;
}

function readError(status: number, body: unknown): ErrorFields {
  const error = (body as { error?: Partial<ErrorFields> } | null)?.error;
  if (error && typeof error === 'object' && typeof error.message === 'string') {
    return {
      type: typeof error.type === 'string' ? error.type : 'api_error',
      code: typeof error.code === 'string' ? error.code : `http_${status}`,
      message: error.message,
      param: typeof error.param === 'string' ? error.param : null,
    };
  }
  const text = typeof body === 'string' && body.trim() !== '' ? `: ${body.trim().slice(0, 200)}` : '';
  return { type: 'api_error', code: `http_${status}`, message: `HTTP ${status}${text}`, param: null };
}

const CATEGORIES: Record<number, ErrorCategory> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'invalid_request',
  429: 'rate_limit',
  502: 'upstream',
  503: 'unavailable',
  504: 'upstream',
};

function categoryOf(status: number): ErrorCategory {
  return CATEGORIES[status] ?? (status >= 500 ? 'internal' : 'invalid_request');
}
