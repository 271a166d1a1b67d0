/**
 * A create request's `tools`, read into what runs: inline function tools,
 * built-in tool objects (`code_interpreter`, `web_search`), and the names and
 * capabilities the tools gateway resolves. Each error names its place in `tools`.
 */

import type { RunTool } from '@agentd/spec';
import { FunctionToolSchema } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import { partValidationError } from '../http/error-response.js';
import type { Services } from '../services.js';
import { type BuiltinTools, isBuiltinName } from '../tools/builtins/builtin-tools.js';
import { checkFunctionParameters } from '../tools/function-parameters.js';
import {
  type BuiltinToolObject,
  builtinToolObject,
  isBuiltinToolObjectType,
} from './builtin-tool-objects.js';
import type { FunctionToolSpec } from './run-spec.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

/** A tool named by its registered name or asked for by capability: the gateway resolves it. */
function isNamedRef(ref: unknown): ref is string | { capability: string } {
  return typeof ref === 'string' || (!!ref && typeof ref === 'object' && 'capability' in ref);
}

/** A built-in tool object such as `{ "type": "code_interpreter" }`. */
function isBuiltinObjectRef(ref: unknown): ref is Record<string, unknown> {
  return !!ref && typeof ref === 'object' && isBuiltinToolObjectType((ref as { type?: unknown }).type);
}

/** The built-in tool objects among the references (`code_interpreter`, `web_search`), checked. */
export function builtinToolObjects(
  refs: readonly unknown[],
  builtins: BuiltinTools | undefined,
): BuiltinToolObject[] {
  return refs.flatMap((ref, index) =>
    isBuiltinObjectRef(ref) ? [builtinToolObject(ref, `tools[${index}]`, builtins)] : [],
  );
}

/**
 * Resolves, with one read of the tenant's tools, the names and capabilities
 * among the references (`registered`, shown in the response's `tools`) and
 * the built-ins that built-in tool objects turn on (`enabled`). An error names
 * the reference by its place in `tools`; a built-in name that is off says why.
 */
export async function resolveTools(
  services: Services,
  tenantId: string,
  refs: readonly unknown[],
  enabledNames: readonly string[],
): Promise<{ registered: RunTool[]; enabled: RunTool[] }> {
  const named: { ref: string | { capability: string }; index: number }[] = [];
  refs.forEach((ref, index) => {
    if (isNamedRef(ref)) named.push({ ref, index });
  });
  try {
    const [registered = [], enabled = []] = await services.tools.resolveLists(tenantId, [
      named.map((entry) => entry.ref),
      enabledNames,
    ]);
    return { registered, enabled };
  } catch (error) {
    if (!(error instanceof AgentdError) || !error.code.startsWith('unknown_')) throw error;
    const at = named[Number(/^tools\[(\d+)\]$/.exec(error.param ?? '')?.[1])];
    if (!at) throw error;
    const param = `tools[${at.index}]`;
    const name = at.ref;
    const why =
      typeof name === 'string' && isBuiltinName(name)
        ? services.tools.builtins?.unavailable(name)
        : undefined;
    if (why) {
      throw new AgentdError(
        'invalid_request',
        'unsupported_tool',
        `The built-in tool '${name}' is not available: ${why}.`,
        { param },
      );
    }
    throw new AgentdError(error.category, error.code, error.message, { param });
  }
}

/** The inline function tools among the references; names and capabilities go to the tools gateway. */
export function inlineTools(refs: readonly unknown[]): FunctionToolSpec[] {
  return refs.flatMap((ref, index) => {
    const param = `tools[${index}]`;
    if (isNamedRef(ref) || isBuiltinObjectRef(ref)) return [];
    const parsed = FunctionToolSchema.safeParse(ref);
    if (!parsed.success) {
      const type = (ref as { type?: unknown }).type;
      if (type !== 'function') {
        throw new AgentdError(
          'invalid_request',
          'unsupported_tool',
          type === 'mcp'
            ? "agentd does not take remote MCP servers in a request: register the server once with POST /v1/tools (adapter type 'mcp') and name it in tools."
            : `The tool type '${String(type)}' is not available.`,
          { param },
        );
      }
      throw partValidationError(parsed.error, param, ref);
    }
    const { name, description, parameters, endpoint } = parsed.data;
    if (parameters) checkFunctionParameters(parameters, `${param}.parameters`);
    return [
      {
        type: 'function' as const,
        name,
        ...(description ? { description } : {}),
        parameters: parameters ?? EMPTY_PARAMETERS,
        ...(endpoint ? { endpoint } : {}),
      },
    ];
  });
}
