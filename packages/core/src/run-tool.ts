import type { ModelToolDefinition } from '@agentd/spec';

/** What a tool may record in the run's log about how it was served (capability routing). */
export type ToolReport =
  | { type: 'routed'; capability: string; tool: string; attempt: number }
  | { type: 'fallback'; capability: string; from: string; to: string | null; reason: string };

export interface ToolContext {
  /** Aborted when the run is cancelled or the tool's time-out passes. */
  signal: AbortSignal;
  callId: string;
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
