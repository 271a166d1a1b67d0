import type { ModelSettings, ModelToolChoice, Principal, TextFormat } from '@agentd/spec';
import type { SafetySetting } from '@agentd/spec/wire';
import type { BuiltinSettings } from '../tools/builtins/run-settings.js';

/** An HTTP endpoint that executes a function tool: agentd POSTs the arguments as JSON. */
export interface ToolEndpoint {
  url: string;
  headers?: Record<string, string>;
  timeout_ms?: number;
}

export interface FunctionToolSpec {
  type: 'function';
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  /** Without an endpoint the tool is client-side: the client runs it. */
  endpoint?: ToolEndpoint;
}

/**
 * Everything a worker needs to run (or resume) a response, resolved at
 * creation so that later edits to the agent do not change a run in flight.
 */
export interface RunSpec {
  schema_version: 1;
  /** The creating request's trace context (W3C headers), when tracing was on: the run's spans join its trace. */
  trace?: Record<string, string>;
  model: string;
  instructions: string | null;
  /** Inline function tools. */
  tools: FunctionToolSpec[];
  /** Registered tools and capabilities, resolved through the tools gateway when the run starts. */
  tool_refs: (string | { capability: string })[];
  tool_choice: ModelToolChoice;
  settings: ModelSettings;
  max_steps: number;
  max_total_tokens: number | null;
  /**
   * What built-in tools key their lasting state by (with the tenant): the
   * conversation, or the first response of a previous_response_id chain.
   * Absent in specs stored before it existed: then the conversation or the
   * response itself.
   */
  session_key?: string;
  /** The creating request's origin: the base of links to files the run stores (AGENTD_PUBLIC_URL overrides it). */
  public_url?: string;
  /**
   * Who created the run (absent in specs stored before it existed): its usage
   * is counted against their tenant, key and user, and tool calls are gated for them.
   */
  principal?: Principal;
  /** The request's `user`: the end user the response is for. */
  user?: string;
  /**
   * Long-term memory for `user`: the agent's memory setting was on. The run
   * gets the memory tools and the user's relevant memories (their opt-in is
   * checked when it runs).
   */
  memory?: boolean;
  /** Settings of built-in tools, from built-in tool objects (`{"type": "code_interpreter", "runtime": …}`). */
  builtin_settings?: BuiltinSettings;
  /**
   * The answer's required format (structured outputs): the Responses API's
   * `text.format`, and what Chat Completions' `response_format` maps to.
   * Absent or `{"type": "text"}`: free text. A JSON format is passed to the
   * model and enforced on the final answer for every model.
   */
  text_format?: TextFormat;
  /** How many times an answer that does not match `text_format` goes back to the model (the server's setting at creation). */
  text_format_retries?: number;
  /** `disabled` (OpenAI's default): a prompt over the context budget fails instead of being trimmed. Absent: `auto`. */
  truncation?: 'auto' | 'disabled';
  /** The agent's `safety` setting at creation; the tenant's and the platform's defaults apply under it when the run starts. */
  safety?: SafetySetting;
}
