/**
 * The one error base of every package. `code` is stable and machine
 * readable; `category` decides the HTTP status (the server maps it in
 * http/error-response.ts); `message` is safe to show an API client (no
 * secrets); `param` names the request field at fault, when there is one.
 * Packages subclass it so callers can `instanceof` the cases they handle.
 */

export type ErrorCategory =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limit'
  | 'unavailable'
  | 'upstream'
  | 'internal'
  /** Stored data failed its integrity check (a tampered object, a broken audit chain): never served, always logged. */
  | 'integrity';

export interface AgentdErrorOptions {
  param?: string | null;
  cause?: unknown;
}

export class AgentdError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly param: string | null;

  constructor(category: ErrorCategory, code: string, message: string, options: AgentdErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentdError';
    this.category = category;
    this.code = code;
    this.param = options.param ?? null;
  }
}

/**
 * The error base of a package whose errors take their category from their
 * code: `categories` is the package's one table of codes. Extend the result
 * (`class WebToolError extends codedError('WebToolError', CATEGORY) {}`).
 */
export function codedError<C extends string>(name: string, categories: Record<C, ErrorCategory>) {
  return class extends AgentdError {
    declare readonly code: C;

    constructor(code: C, message: string, options: AgentdErrorOptions = {}) {
      super(categories[code], code, message, options);
      this.name = name;
    }
  };
}
