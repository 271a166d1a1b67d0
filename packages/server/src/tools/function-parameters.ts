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
