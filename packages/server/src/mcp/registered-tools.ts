import { randomUUID } from 'node:crypto';
import { type RunTool, validateArguments } from '@agentd/core';
import type { Principal } from '@agentd/spec';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_AGENT, toolCallRequest } from '../policies/policy-request.js';
import type { Services } from '../services.js';
import type { UsageAttribution } from '../usage/usage-meter.js';

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

/**
 * The tenant's registered tool of that name, for one call: only the tool set
 * (manifest) that offers it is resolved, not every tool the tenant has.
 */
export async function registeredTool(
  services: Services,
  tenantId: string,
  name: string,
): Promise<RunTool | undefined> {
  const source = (await services.tools.describe(tenantId)).find(
    (candidate) => candidate.source !== 'builtin' && candidate.tools.some((tool) => tool.name === name),
  );
  if (!source) return undefined;
  const tools = await services.tools.resolve(tenantId, [source.name]);
  return tools.find((tool) => tool.definition.name === name && tool.execute !== undefined);
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
 * checked against its schema, the tenant's policies allow the caller to
 * call it (as `Agent::"default"` → `call_tool`, the action a run's call is
 * asked as), and its rate limit and quotas let it through (counted against
 * the caller's user or key, as a run's call is). A bad argument, a denial
 * or a failure is a tool error.
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
  // The tenant's per-tool rate limit and daily quotas, after the policy (a denied call spends none).
  const limited = await services.limits.toolLimitsFor(callerOf(principal))({ name });
  if (limited) {
    const retry =
      limited.retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(limited.retryAfterMs / 1000)} s.`;
    return toolError(`The call of ${name} was not run: ${limited.reason}.${retry}`);
  }
  try {
    const result = await tool.execute!(check.value, { signal, callId: `mcp_${randomUUID()}` });
    const output = typeof result === 'string' ? result : result.output;
    const isError = typeof result !== 'string' && result.isError === true;
    return { content: [{ type: 'text', text: output }], ...(isError ? { isError } : {}) };
  } catch (error) {
    return toolError(`${name} failed: ${(error as Error).message}`);
  }
}

/** Whose an MCP call is, for limits and usage: the tenant, and the token's user or the key. */
function callerOf(principal: Principal): UsageAttribution {
  return {
    tenantId: principal.tenantId,
    userId: principal.userId,
    apiKeyId: principal.method === 'api_key' ? principal.subject : undefined,
  };
}

function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
