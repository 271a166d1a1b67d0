import type { ToolContext, ToolResult, ToolScope } from '@agentd/spec';
import { FilesError } from '../errors.js';

/**
 * A failure as the model should read it: a FilesError's message as is,
 * anything else as an unexpected failure of the tool. A cancelled call
 * rethrows, so the run loop reports the cancellation itself.
 */
export function failureResult(tool: string, error: unknown, signal: AbortSignal): ToolResult {
  if (signal.aborted) throw signal.reason;
  const message =
    error instanceof FilesError
      ? error.message
      : `unexpected failure: ${(error as Error)?.message ?? String(error)}`;
  return { output: `${tool} failed: ${message}`, isError: true };
}

export type ScopeCheck = { ok: true; scope: ToolScope } | { ok: false; result: ToolResult };

/** The call's scope, or the error to return when the tool runs outside the server (no tenant). */
export function requireScope(tool: string, context: ToolContext): ScopeCheck {
  if (context.scope) return { ok: true, scope: context.scope };
  return {
    ok: false,
    result: {
      output: `${tool} is not available here: it needs the tenant of an agentd request, and this call has none.`,
      isError: true,
    },
  };
}

/** A name from stored data, on one line and of reasonable length, for a result header. */
export function oneLine(text: string, max = 200): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
