import type { ToolResult } from '@agentd/spec';
import { findWebToolError } from './errors.js';

/**
 * A failure as the model should read it: a WebToolError's message as is,
 * anything else as an unexpected failure. A cancelled call rethrows, so the
 * run loop reports the cancellation itself.
 */
export function failureResult(error: unknown, signal: AbortSignal): ToolResult {
  if (signal.aborted) throw signal.reason;
  const known = findWebToolError(error);
  if (known) return { output: known.message, isError: true };
  return { output: `unexpected failure: ${(error as Error)?.message ?? String(error)}`, isError: true };
}

/** Reads a whole-number argument; undefined when absent. */
export function integerArgument(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`'${name}' must be a whole number`);
  return value;
}
