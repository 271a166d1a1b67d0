import { AgentdError } from '@agentd/spec';

export { AgentdError, type AgentdErrorOptions, type ErrorCategory } from '@agentd/spec';

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
