/**
 * The one error class of the server package. `code` is stable and machine
 * readable; `category` decides the HTTP status (see http/error-response.ts).
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
  | 'internal';

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

export function notFound(what: string, id: string): AgentdError {
  return new AgentdError(
    'not_found',
    `${what}_not_found`,
    `No ${what.replace(/_/g, ' ')} found with id '${id}'.`,
    {
      param: 'id',
    },
  );
}

/**
 * Awaits the lookup of an object a request refers to; its not-found becomes a
 * 400 with `code`, "No <what> <id> in your tenant.", naming the request's `param`.
 */
export async function requireReferenced(
  lookup: Promise<unknown>,
  refusal: { code: string; what: string; id: string; param: string },
): Promise<void> {
  try {
    await lookup;
  } catch (error) {
    if ((error as AgentdError).category !== 'not_found') throw error;
    throw new AgentdError(
      'invalid_request',
      refusal.code,
      `No ${refusal.what} ${refusal.id} in your tenant.`,
      {
        param: refusal.param,
      },
    );
  }
}
