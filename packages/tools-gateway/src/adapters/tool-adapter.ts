import type { JsonSchema, ToolContext, ToolResult } from '@agentd/spec';

/** One tool an adapter offers. */
export interface AdapterTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

export type AdapterHealth = 'healthy' | 'unavailable';

/**
 * The one interface every adapter implements (HTTP, OpenAPI, MCP, client,
 * built-in). An adapter may offer several tools (an OpenAPI document's
 * operations, an MCP server's tools).
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

/** Looks up a stored secret by name (decrypted); throws when there is none. */
export type SecretResolver = (name: string) => Promise<string>;
