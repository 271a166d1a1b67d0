import type { ResponseEvent } from '@agentd/spec';

/**
 * What an MCP client is told while an agent runs: one progress
 * notification per step a person would want to see (the run created, each
 * model call, each tool call starting and ending). Other events (text
 * deltas, item bookkeeping) say nothing here.
 */
export function progressMessage(event: ResponseEvent, responseId: string): string | undefined {
  switch (event.type) {
    case 'response.created':
      return `Run ${responseId} created.`;
    case 'response.model_call.started':
      return `Model call ${event.step} (${event.model}).`;
    case 'response.tool_call.started':
      return `Calling ${event.name}.`;
    case 'response.tool_call.completed':
      return `${event.name}: ${event.status} in ${event.duration_ms} ms.`;
    case 'response.tool_call.denied':
      return `${event.name} denied by ${event.by}: ${event.reason}`;
    default:
      return undefined;
  }
}
