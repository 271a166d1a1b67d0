import type { ErrorBody } from '@agentd/spec';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AgentdError, type ErrorCategory } from '../errors.js';
import { plainMessage, relevantIssue } from './relevant-issue.js';

/** The one place where error categories become HTTP statuses and error types. */
const CATEGORY_HTTP: Record<ErrorCategory, { status: ContentfulStatusCode; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  method_not_allowed: { status: 405, type: 'invalid_request_error' },
  conflict: { status: 409, type: 'conflict_error' },
  too_large: { status: 413, type: 'invalid_request_error' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  unavailable: { status: 503, type: 'server_error' },
  upstream: { status: 502, type: 'upstream_error' },
  internal: { status: 500, type: 'server_error' },
  // A 500 (the data is this server's, not the caller's, and no retry will mend it) with a type of its own,
  // so clients and alerts tell "the stored data was altered" apart from a server bug.
  integrity: { status: 500, type: 'integrity_error' },
};

export function statusOf(error: AgentdError): ContentfulStatusCode {
  return CATEGORY_HTTP[error.category].status;
}

export function errorBody(error: AgentdError): ErrorBody {
  return {
    error: {
      type: CATEGORY_HTTP[error.category].type,
      code: error.code,
      message: error.message,
      param: error.param,
    },
  };
}

export function errorResponse(c: Context, error: AgentdError): Response {
  return c.json(errorBody(error), statusOf(error));
}

/** Anything thrown while handling a request, as an AgentdError. Unknown errors become `internal`. */
export function toAgentdError(error: unknown): AgentdError {
  if (error instanceof AgentdError) return error;
  if (error instanceof HTTPException) {
    switch (error.status) {
      case 400:
        return new AgentdError('invalid_request', 'invalid_json', 'The request body is not valid JSON.');
      case 413:
        return new AgentdError(
          'too_large',
          'body_too_large',
          'The request body is larger than the server accepts.',
        );
      case 415:
        return new AgentdError(
          'unsupported_media_type',
          'unsupported_media_type',
          'The request body must be JSON, sent with Content-Type: application/json.',
        );
      case 401:
        return new AgentdError('authentication', 'invalid_api_key', 'Missing or invalid credentials.');
      default:
        if (error.status < 500) return new AgentdError('invalid_request', 'bad_request', error.message);
    }
  }
  return new AgentdError('internal', 'internal_error', 'The server failed to handle the request.', {
    cause: error,
  });
}

const TARGET_PREFIX: Record<string, string> = { json: '', query: '', param: '', header: 'header.' };

/** A validation failure as one error naming the first offending field. */
export function validationError(error: ZodError, target: string, input?: unknown): AgentdError {
  const first = error.issues[0];
  if (!first) return new AgentdError('invalid_request', 'invalid_request', 'The request is not valid.');
  const issue = relevantIssue(first);
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const param = formatPath(path);
  // A path that cannot name an object names none: answered like an unknown id, before any query.
  if (target === 'param') {
    return new AgentdError('not_found', 'not_found', `No object found with that ${param || 'id'}.`, {
      param: param || null,
    });
  }
  const where = target === 'json' ? 'body' : target;
  const code =
    issue.code === 'unrecognized_keys'
      ? 'unknown_parameter'
      : issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined
        ? 'missing_required_parameter'
        : 'invalid_value';
  const message =
    code === 'unknown_parameter'
      ? `Unknown parameter: '${param}'.`
      : code === 'missing_required_parameter'
        ? `Missing required parameter: '${param}'.`
        : `Invalid value for '${param || where}': ${plainMessage(issue.message)}.`;
  return new AgentdError('invalid_request', code, message, {
    param: param ? `${TARGET_PREFIX[target] ?? ''}${param}` : null,
  });
}

/**
 * A failed parse of a part of the request (one entry of `tools`, say) as the
 * same 400 a route's validation gives: `at` is where the part sits
 * (`tools[2]`), `value` the part itself.
 */
export function partValidationError(error: ZodError, at: string, value: unknown): AgentdError {
  const prefix = at
    .split(/\.|(?=\[)/)
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
  const nested = error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
  return validationError({ issues: nested } as ZodError, 'json', nestValue(prefix, value));
}

/** `value` placed at `path` in an otherwise empty object, for validationError's missing-field check. */
function nestValue(path: PropertyKey[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => {
    const outer: Record<PropertyKey, unknown> = {};
    outer[key] = inner;
    return outer;
  }, value);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
