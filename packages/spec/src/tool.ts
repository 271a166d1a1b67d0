/**
 * The tool contract: what a tool is to the run loop (`RunTool`) and what a
 * call gets (`ToolContext`). Every tool package implements it; core runs it.
 */
import type {
  BuiltinToolItem,
  CodeInterpreterCallItem,
  FileSearchCallItem,
  WebSearchCallItem,
} from './items.js';
import type { ModelToolDefinition } from './model.js';
import type { JsonSchema } from './tool-manifest.js';

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
  /** The base URL of links to what the run stores (the creating request's origin), when known. */
  publicUrl?: string;
}

/** The end of a built-in tool item: its last status and the fields it gained (outputs, action). */
export type ToolItemFinish<T extends BuiltinToolItem> = Partial<
  Omit<T, 'type' | 'id' | 'call_id' | 'status'>
> & { status: Exclude<T['status'], 'in_progress' | 'interpreting' | 'searching'> };

/** One built-in tool item a call is showing; calls after `finish` (or after the call ended) are ignored. */
export interface ToolItemHandle<T extends BuiltinToolItem> {
  readonly id: string;
  /** The working phase: `interpreting` for code, `searching` for the web. */
  working(): void;
  finish(end: ToolItemFinish<T>): void;
}

/**
 * Starts a built-in tool item (ADR-0008): the loop gives it an id, an output
 * index and the call's call_id, and streams it as OpenAI streams its built-in
 * tools. The function_call and function_call_output pair stays as it is.
 */
export interface StartToolItem {
  (
    item: Pick<CodeInterpreterCallItem, 'type' | 'code' | 'container_id' | 'runtime'>,
  ): ToolItemHandle<CodeInterpreterCallItem>;
  (item: Pick<WebSearchCallItem, 'type' | 'action' | 'tool'>): ToolItemHandle<WebSearchCallItem>;
  (item: Pick<FileSearchCallItem, 'type' | 'queries'>): ToolItemHandle<FileSearchCallItem>;
}

export interface ToolContext {
  /** Aborted when the run is cancelled or the tool's time-out passes. */
  signal: AbortSignal;
  callId: string;
  scope?: ToolScope;
  /** Records a routing decision as an event in the run's log. */
  report?: (report: ToolReport) => void;
  /** Shows the call's work as a typed output item; set by the run loop. */
  startItem?: StartToolItem;
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
  /**
   * Running a call twice has no effect beyond running it once (a search, a
   * read). A call a worker failure left in flight is run again on resume only
   * when this is true; otherwise the model is told it was interrupted.
   * Default false.
   */
  idempotent?: boolean;
}

/** One tool an adapter offers. */
export interface AdapterTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

export type AdapterHealth = 'healthy' | 'unavailable';

/**
 * The one interface every tool adapter implements (HTTP, OpenAPI, MCP, client,
 * built-in) in @agentd/tools-gateway. An adapter may offer several tools (an
 * OpenAPI document's operations, an MCP server's tools). Its suite is
 * describeToolAdapterContract in @agentd/testing.
 */
export interface ToolAdapter {
  /** The tools offered now. */
  list(): Promise<AdapterTool[]>;
  /** Calls one of them. The signal carries the run's cancellation and the call's time-out. */
  call(tool: string, args: unknown, context: ToolContext): Promise<ToolResult>;
  /** Whether calls can be made now (an MCP server being restarted is unavailable). */
  health(): AdapterHealth;
  /** Subscribes to changes in the offered tools (MCP list_changed, a restart); returns the unsubscribe. */
  onChange?(listener: () => void): () => void;
  close(): Promise<void>;
}
