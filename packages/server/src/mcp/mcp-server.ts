import type { Principal } from '@agentd/spec';
import { isAllowed, type Permission, scopesAllow } from '@agentd/spec/wire';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { AgentdError } from '../errors.js';
import type { Services } from '../services.js';
import { agentTool, callAgent, listAgents } from './agent-tools.js';
import { asMcpTool, callRegisteredTool, registeredTool, registeredTools } from './registered-tools.js';

/** What each HTTP request tells the MCP handlers: who asks, from where, and when the request closes. */
export interface McpRequestContext {
  principal: Principal;
  origin: string;
  /** Aborted when the HTTP request carrying the call closes. */
  closed: AbortSignal;
}

/** The HTTP request's context, carried to the handlers in the transport's `authInfo`. */
export function authInfoOf(context: McpRequestContext, token: string): AuthInfo {
  return {
    token,
    clientId: context.principal.subject,
    scopes: [...(context.principal.scopes ?? [])],
    extra: { agentd: context },
  };
}

function contextOf(authInfo: AuthInfo | undefined): McpRequestContext {
  const context = authInfo?.extra?.agentd as McpRequestContext | undefined;
  if (!context) throw new Error('an MCP request reached agentd without its credentials');
  return context;
}

/** Whether the principal's role and scopes both allow the permission. */
function may(principal: Principal, permission: Permission): boolean {
  return isAllowed(principal, permission) && scopesAllow(principal, permission);
}

/**
 * One MCP session's server: tools/list shows the caller's agents (with
 * `agents:read`) and registered tools (with `tools:read`); tools/call runs an
 * agent (with `responses:write`) or calls a tool (with `tools:write`). The
 * lists are read at each request, so agents made later appear at once. An
 * agent's name wins over a registered tool's of the same name.
 */
export function createMcpServer(services: Services, version: string): McpServer {
  const mcp = new McpServer(
    { name: 'agentd', version },
    {
      capabilities: { tools: {} },
      instructions:
        "agentd's agents as tools: calling one runs the agent on your message and returns its answer.",
    },
  );
  mcp.server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const { principal } = contextOf(extra.authInfo);
    const agents = may(principal, 'agents:read') ? await listAgents(services, principal.tenantId) : [];
    const tools: Tool[] = agents.map(agentTool);
    if (may(principal, 'tools:read')) {
      const names = new Set(tools.map((tool) => tool.name));
      for (const tool of await registeredTools(services, principal.tenantId)) {
        if (!names.has(tool.definition.name)) tools.push(asMcpTool(tool));
      }
    }
    return { tools };
  });
  mcp.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    asToolError(services, () => callTool(services, request.params, extra)),
  );
  return mcp;
}

type CallToolExtra = Parameters<Parameters<McpServer['server']['setRequestHandler']>[1]>[1];

async function callTool(
  services: Services,
  params: CallToolRequest['params'],
  extra: CallToolExtra,
): Promise<CallToolResult> {
  const context = contextOf(extra.authInfo);
  const { principal } = context;
  const { name, arguments: args } = params;
  const signal = AbortSignal.any([extra.signal, context.closed]);
  const agent = may(principal, 'agents:read')
    ? await services.agents.findByName(principal.tenantId, name)
    : undefined;
  if (agent) {
    if (!may(principal, 'responses:write')) return denied(name, 'responses:write');
    const token = params._meta?.progressToken;
    let progress = 0;
    return callAgent(services, {
      principal,
      agent,
      arguments: args,
      signal,
      origin: context.origin,
      ...(token === undefined
        ? {}
        : {
            onProgress: (message) =>
              extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken: token, progress: ++progress, message },
              }),
          }),
    });
  }
  if (may(principal, 'tools:read')) {
    const tool = await registeredTool(services, principal.tenantId, name);
    if (tool) {
      if (!may(principal, 'tools:write')) return denied(name, 'tools:write');
      return callRegisteredTool(services, principal, tool, args, signal);
    }
  }
  return {
    content: [{ type: 'text', text: `No agent or tool named '${name}' in your tenant.` }],
    isError: true,
  };
}

/**
 * A call that failed (bad arguments, a policy, a limit, an unknown
 * conversation) is a tool result with isError, in the API's words, so the
 * client's model reads why; an internal error is logged and said in general terms.
 */
async function asToolError(services: Services, call: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AgentdError && error.category !== 'internal') {
      const param = error.param ? ` (${error.param})` : '';
      return { content: [{ type: 'text', text: `${error.message}${param}` }], isError: true };
    }
    services.logger.error({ err: error }, 'MCP tool call failed');
    return { content: [{ type: 'text', text: 'The call failed on the server.' }], isError: true };
  }
}

function denied(name: string, permission: Permission): CallToolResult {
  return {
    content: [
      { type: 'text', text: `Calling ${name} needs the '${permission}' permission, which this key lacks.` },
    ],
    isError: true,
  };
}
