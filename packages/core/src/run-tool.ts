import type { ModelToolDefinition } from '@agentd/spec';

/** What a tool may record in the run's log about how it was served (capability routing). */
export type ToolReport =
  | { type: 'routed'; capability: string; tool: string; attempt: number }
  | { type: 'fallback'; capability: string; from: string; to: string | null; reason: string };

/** Who and what a call runs for. The server sets it for every run; built-in tools scope their state by it. */
export interface ToolScope {
  tenantId: string;
  responseId: string;
  conversationId?: string;
  /** The end user the response is for (the request's `user`), when the client named one. */
  user?: string;
  /**
   * Identifies state that should last across the turns of one conversation
   * (a browser page, an interpreter session): the conversation id, or the
   * first response of a previous_response_id chain.
   */
  sessionKey: string;
}

export interface ToolContext {
  /** Aborted when the run is cancelled or the tool's time-out passes. */
  signal: AbortSignal;
  callId: string;
  scope?: ToolScope;
  /** Records a routing decision as an event in the run's log. */
  report?: (report: ToolReport) => void;
}

export interface ToolResult {
  output: string;
  isError?: boolean;
}

/** A tool as the run loop sees it. Adapters (HTTP, MCP, built-ins) produce these. */
export interface RunTool {
  definition: ModelToolDefinition;
  /** Absent for a client-side tool: the run ends and hands the call to the client. */
  execute?: (args: unknown, context: ToolContext) => Promise<ToolResult | string>;
  timeoutMs?: number;
  /** Pause the run for a human approval before each call. */
  requiresApproval?: boolean;
}
