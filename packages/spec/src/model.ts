/**
 * The model contract: one small interface that every provider implements
 * (OpenAI-compatible Chat Completions, the Responses API, the scripted model).
 *
 * Naming rule for every stream part and event in agentd: a discriminated union
 * on `type`, named noun-verb in kebab-case for internal parts (`text-delta`,
 * `tool-call`), and as OpenAI names them for wire events
 * (`response.output_text.delta`).
 */

export interface ModelToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ModelToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: a JSON string, possibly invalid. */
  arguments: string;
}

/** Chat-shaped messages, which every provider can translate. */
export type ModelMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ModelToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export type ModelToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export interface ModelSettings {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  stop?: string[];
  parallelToolCalls?: boolean;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** The end user the request is for (OpenAI's `user`), passed on to the model API. */
  user?: string;
  /** A stable, hashed id of the end user for abuse detection (OpenAI's `safety_identifier`). */
  safetyIdentifier?: string;
  /** Ask for the answer's token log probabilities (the request included `message.output_text.logprobs`). */
  logprobs?: boolean;
}

/** One token of an answer and its log probability, as OpenAI reports them. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
}

/**
 * The required format of the answer (structured outputs), as the Responses
 * API's `text.format` names it. `text` is free text; the others ask for JSON.
 */
export type TextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      description?: string;
      strict?: boolean;
    };

export interface ModelRequest {
  model: string;
  messages: ModelMessage[];
  tools: ModelToolDefinition[];
  toolChoice?: ModelToolChoice;
  settings: ModelSettings;
  /** A JSON answer format, for providers that can ask the model for one; absent means free text. */
  textFormat?: Exclude<TextFormat, { type: 'text' }>;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'other';

/**
 * What a model stream yields, in order: deltas, complete tool calls, usage,
 * then one finish. Usage may come more than once (vLLM's continuous usage,
 * llama.cpp); the last report counts.
 */
export type ModelStreamPart =
  | { type: 'text-delta'; delta: string; logprobs?: TokenLogprob[] }
  | { type: 'reasoning-delta'; delta: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; delta: string }
  | { type: 'tool-call'; index: number; call: ModelToolCall }
  | { type: 'usage'; usage: ModelUsage }
  | { type: 'finish'; reason: FinishReason };

export interface LanguageModel {
  /** e.g. `openai-chat`, `openai-responses`, `scripted`. */
  readonly provider: string;
  /**
   * Streams one model turn. Aborting `signal` stops the stream (and the HTTP
   * request behind it) and makes the iterator throw the abort reason.
   */
  stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart>;
}
