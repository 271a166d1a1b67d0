import { AgentdError, notFound } from '../errors.js';
import type { ToolSummary } from './tool-service.js';

/** The ids of tools from the tool directory and the built-ins: `dir:<name>`, `builtin:<name>`. */
export const isServerWideId = (id: string) => id.startsWith('dir:') || id.startsWith('builtin:');

/** The tool directory's or built-in tool with this id, among what the tenant sees; a 404 when there is none. */
export function findServerWide(summaries: readonly ToolSummary[], id: string): ToolSummary {
  const found = summaries.find(
    (summary) => summary.source !== 'api' && `${summary.source}:${summary.name}` === id,
  );
  if (!found) throw notFound('tool', id);
  return found;
}

/**
 * Why a server-wide tool cannot be changed through the API, and where it is
 * changed instead: the operator's files or switches, not a tenant's request.
 */
export function readOnlyTool(summary: ToolSummary, action: 'changed' | 'deleted'): AgentdError {
  const id = `${summary.source}:${summary.name}`;
  const how =
    summary.source === 'dir'
      ? `It comes from the server's tool directory (AGENTD_TOOL_DIR): edit or remove its manifest file there, and the server reloads it.`
      : `It is built into agentd: turn it off with ${builtinSwitch(summary.name)}=off in the server's configuration.`;
  return new AgentdError(
    'conflict',
    'tool_read_only',
    `The tool ${id} is read-only and cannot be ${action} through the API. ${how} Register your own tool with POST /v1/tools to change what your agents use.`,
    { param: 'id' },
  );
}

/** The switch of a built-in tool: code_interpreter → AGENTD_CODE_INTERPRETER. */
function builtinSwitch(name: string): string {
  return `AGENTD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
