import type { ResponseEvent } from '@agentd/spec';

const TERMINAL_TYPES: ReadonlySet<string> = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);

/** Whether `event` ends its run: nothing follows it in the log. */
export function isTerminalEvent(event: ResponseEvent): boolean {
  return TERMINAL_TYPES.has(event.type);
}
