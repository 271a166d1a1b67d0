import { checkJsonSchema } from '@agentd/tools-gateway';
import { AgentdError } from '../errors.js';

/**
 * An inline function tool's `parameters`, checked as JSON Schema when the
 * request comes in (as manifests are at load), so a broken schema is a 400
 * naming the place in it, not a failure of every later call.
 */
export function checkFunctionParameters(parameters: unknown, param: string): void {
  const problem = checkJsonSchema(parameters);
  if (!problem) return;
  const at = problem.path ? `${param}.${problem.path}` : param;
  throw new AgentdError(
    'invalid_request',
    'invalid_value',
    `Invalid value for '${at}': ${problem.message}.`,
    { param: at },
  );
}

/** Checks every inline function tool of a request's `tools` (an agent's or a response's) as checkFunctionParameters does. */
export function checkInlineFunctionTools(tools: readonly unknown[] | undefined, param = 'tools'): void {
  tools?.forEach((tool, index) => {
    if (typeof tool !== 'object' || tool === null) return;
    const { type, parameters } = tool as { type?: unknown; parameters?: unknown };
    if (type === 'function' && parameters !== undefined)
      checkFunctionParameters(parameters, `${param}[${index}].parameters`);
  });
}
