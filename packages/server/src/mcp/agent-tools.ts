import { isTerminalEvent } from '@agentd/runtime';
import type { Principal, ResponseObject } from '@agentd/spec';
import { type Agent, CreateResponseSchema } from '@agentd/spec/wire';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AgentdError } from '../errors.js';
import { createResponse } from '../responses/create-response.js';
import type { StoredResponse } from '../responses/response-repository.js';
import type { Services } from '../services.js';
import { runResult } from './answer-text.js';
import { progressMessage } from './run-progress.js';

/** How many agents a tools/list shows at most (pages of 100). */
const MAX_AGENTS = 1_000;

/** What calling an agent takes: the user's message, and optionally the context to continue. */
export const AGENT_INPUT_SCHEMA: Tool['inputSchema'] = {
  type: 'object',
  properties: {
    input: { type: 'string', minLength: 1, description: "The user's message to the agent." },
    conversation: {
      type: 'string',
      description: 'A conversation id (conv_...): the run continues it and is appended to it.',
    },
    previous_response_id: {
      type: 'string',
      description: "The response id (resp_...) of an earlier call's result, to continue from it.",
    },
  },
  required: ['input'],
  additionalProperties: false,
};

/** The tenant's agents, every page of them. */
export async function listAgents(services: Services, tenantId: string): Promise<Agent[]> {
  const agents: Agent[] = [];
  let after: string | undefined;
  do {
    const page = await services.agents.list(tenantId, {
      limit: 100,
      order: 'asc',
      ...(after ? { after } : {}),
    });
    agents.push(...page.data);
    after = page.has_more && page.last_id ? page.last_id : undefined;
  } while (after && agents.length < MAX_AGENTS);
  return agents.slice(0, MAX_AGENTS);
}

/** An agent as an MCP tool: its name, its description, and a message as input. */
export function agentTool(agent: Agent): Tool {
  return {
    name: agent.name,
    title: agent.name,
    description: agent.description ?? `Runs the agent '${agent.name}' on a message and returns its answer.`,
    inputSchema: AGENT_INPUT_SCHEMA,
    annotations: { readOnlyHint: false, openWorldHint: true },
  };
}

export interface AgentCall {
  principal: Principal;
  agent: Agent;
  arguments: Record<string, unknown> | undefined;
  /** Aborted by an MCP cancel notification, or when the HTTP request carrying the call closes. */
  signal: AbortSignal;
  /** Told each step of the run, when the client asked for progress. */
  onProgress?: (message: string) => Promise<void>;
  /** The request's origin, for links to files the run stores. */
  origin: string;
}

/**
 * Runs an agent as POST /v1/responses does (the same createResponse path, so
 * policies, limits, budgets, safety and audit apply) and follows it to its
 * end. A cancelled call cancels the run; the run then ends cancelled.
 */
export async function callAgent(services: Services, call: AgentCall): Promise<CallToolResult> {
  const body = CreateResponseSchema.parse({
    ...agentArguments(call.arguments),
    agent: call.agent.id,
    background: true,
  });
  const { response } = await createResponse(
    services,
    call.principal.tenantId,
    body,
    undefined,
    call.origin,
    call.principal,
  );
  await services.runs.start(response);
  const final = await follow(services, response, call);
  return runResult(final);
}

async function follow(services: Services, stored: StoredResponse, call: AgentCall): Promise<ResponseObject> {
  const stop = new AbortController();
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<ResponseObject>((resolve, reject) => {
    // The run is followed on: its end (cancelled) comes as its terminal event, or as cancel's answer.
    onAbort = () => {
      cancelRun(services, stored).then(resolve, reject);
    };
    if (call.signal.aborted) onAbort();
    else call.signal.addEventListener('abort', onAbort, { once: true });
  });
  const ended = (async () => {
    for await (const event of services.runs.follow(stored, 0, stop.signal, { justStarted: true })) {
      const message = call.onProgress ? progressMessage(event, stored.id) : undefined;
      if (message) await call.onProgress?.(message).catch(() => undefined);
      if (isTerminalEvent(event) && 'response' in event) return event.response;
    }
    // Followed no further (the server stops): the run as stored.
    return (await services.responses.get(stored.tenantId, stored.id)).snapshot;
  })();
  // Whichever loses the race must not surface as an unhandled rejection.
  ended.catch(() => undefined);
  cancelled.catch(() => undefined);
  try {
    return await Promise.race([ended, cancelled]);
  } finally {
    stop.abort();
    if (onAbort) call.signal.removeEventListener('abort', onAbort);
  }
}

/** Cancels the run; one that ended meanwhile is returned as it ended. */
async function cancelRun(services: Services, stored: StoredResponse): Promise<ResponseObject> {
  try {
    return await services.runs.cancel(stored);
  } catch (error) {
    if (error instanceof AgentdError && error.category === 'conflict') {
      return (await services.responses.get(stored.tenantId, stored.id)).snapshot;
    }
    throw error;
  }
}

/** The call's arguments, checked against AGENT_INPUT_SCHEMA; a mistake is a 400-like error naming the field. */
function agentArguments(args: Record<string, unknown> | undefined): {
  input: string;
  conversation?: string;
  previous_response_id?: string;
} {
  const { input, conversation, previous_response_id: previous, ...rest } = args ?? {};
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalidArgument(extra, `'${extra}' is not an argument of an agent`);
  if (typeof input !== 'string' || input.length === 0)
    throw invalidArgument('input', "'input' must be a non-empty string");
  if (conversation !== undefined && typeof conversation !== 'string')
    throw invalidArgument('conversation', "'conversation' must be a conversation id");
  if (previous !== undefined && typeof previous !== 'string')
    throw invalidArgument('previous_response_id', "'previous_response_id' must be a response id");
  return {
    input,
    ...(conversation ? { conversation } : {}),
    ...(previous ? { previous_response_id: previous } : {}),
  };
}

function invalidArgument(param: string, message: string): AgentdError {
  return new AgentdError('invalid_request', 'invalid_tool_arguments', `${message}.`, { param });
}
