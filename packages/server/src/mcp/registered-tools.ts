import { randomUUID } from 'node:crypto';
import { type RunTool, validateArguments } from '@agentd/core';
import type { Principal } from '@agentd/spec';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_AGENT, toolCallRequest } from '../policies/policy-request.js';
import type { Services } from '../services.js';

/**
 * The tenant's registered tools (its own, and the operator's tool directory)
 * as MCP tools; the built-ins are left out, they need a run to serve.
 */
export async function registeredTools(services: Services, tenantId: string): Promise<RunTool[]> {
  const sources = (await services.tools.describe(tenantId)).filter((source) => source.source !== 'builtin');
  if (sources.length === 0) return [];
  const tools = await services.tools.resolve(
    tenantId,
    sources.map((source) => source.name),
  );
  return tools.filter((tool) => tool.execute !== undefined);
}

export function asMcpTool(tool: RunTool): Tool {
  const { name, description, parameters } = tool.definition;
  return {
    name,
    ...(description ? { description } : {}),
    inputSchema: { type: 'object', ...parameters } as Tool['inputSchema'],
  };
}

/**
 * Calls a registered tool through the gateway, after its arguments are
 * checked against its schema and the tenant's policies allow the caller to
 * call it (as `Agent::"default"` → `call_tool`, the action a run's call is
 * asked as). A bad argument, a denial or a failure is a tool error.
 */
export async function callRegisteredTool(
  services: Services,
  principal: Principal,
  tool: RunTool,
  args: Record<string, unknown> | undefined,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const { name, parameters } = tool.definition;
  const check = validateArguments(parameters, JSON.stringify(args ?? {}));
  if (!check.ok) return toolError(`Invalid arguments for ${name}: ${check.message}.`);
  const decision = await services.policies.decide(
    principal.tenantId,
    toolCallRequest(principal, DEFAULT_AGENT, name, check.value),
  );
  if (!decision.allowed) return toolError(`The call of ${name} was denied by policy: ${decision.reason}`);
  try {
    const result = await tool.execute!(check.value, { signal, callId: `mcp_${randomUUID()}` });
    const output = typeof result === 'string' ? result : result.output;
    const isError = typeof result !== 'string' && result.isError === true;
    return { content: [{ type: 'text', text: output }], ...(isError ? { isError } : {}) };
  } catch (error) {
    return toolError(`${name} failed: ${(error as Error).message}`);
  }
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
