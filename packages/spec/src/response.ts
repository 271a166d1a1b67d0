import type { CitationAnnotation, Item, OutputTextPart } from './items.js';
import type { TextFormat } from './model.js';
import type { SafetyAction, SafetySurface, SafetyVerdict } from './safety.js';

/**
 * A response (a run), in the OpenAI Responses API shape, and the events that
 * stream it. Every event carries `sequence_number`, which is also its SSE id.
 */

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'incomplete';

export type IncompleteReason =
  | 'max_output_tokens'
  | 'max_steps'
  | 'max_total_tokens'
  | 'content_filter'
  | 'invalid_structured_output'
  /** A token or cost budget (of the run, its user or its tenant) would be passed; `message` names it. */
  | 'budget_exceeded';

/** Why a response ended incomplete; for a structured answer that never matched, where and how. */
export interface IncompleteDetails {
  reason: IncompleteReason;
  /** The failing location in the answer, as a JSON Pointer (`/items/0/price`; `` is the whole answer). */
  path?: string;
  message?: string;
}

export interface ResponseUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens_details: { reasoning_tokens: number };
}

export interface ResponseError {
  code: string;
  message: string;
}

export interface ReasoningTextPart {
  type: 'reasoning_text';
  text: string;
}

/** Output items: the conversation items plus reasoning. */
export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: { type: 'summary_text'; text: string }[];
  content?: ReasoningTextPart[];
  status?: 'in_progress' | 'completed' | 'incomplete';
  /** agentd: replaced by a new attempt after a worker failure (see MessageItem); its text is emptied. */
  superseded?: boolean;
}

export type OutputItem = Item | ReasoningItem;

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  completed_at: number | null;
  status: ResponseStatus;
  error: ResponseError | null;
  incomplete_details: IncompleteDetails | null;
  instructions: string | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  conversation: { id: string } | null;
  agent: { id: string; name: string; version: number } | null;
  tools: unknown[];
  tool_choice: unknown;
  temperature: number | null;
  top_p: number | null;
  max_output_tokens: number | null;
  max_steps: number;
  max_total_tokens: number | null;
  background: boolean;
  metadata: Record<string, string>;
  usage: ResponseUsage | null;
  // Echoes of request fields, as OpenAI's response object has them (absent in runs stored before).
  text?: { format: TextFormat };
  truncation?: 'auto' | 'disabled';
  store?: boolean;
  reasoning?: { effort: string | null; summary: string | null };
  user?: string | null;
  safety_identifier?: string | null;
}

interface ItemRef {
  item_id: string;
  output_index: number;
}

interface ContentRef extends ItemRef {
  content_index: number;
}

/** The events of a response stream, without their sequence number. */
export type ResponseEventBody =
  | { type: 'response.created'; response: ResponseObject }
  | { type: 'response.queued'; response: ResponseObject }
  | { type: 'response.in_progress'; response: ResponseObject }
  | { type: 'response.completed'; response: ResponseObject }
  | { type: 'response.failed'; response: ResponseObject }
  | { type: 'response.incomplete'; response: ResponseObject }
  | { type: 'response.cancelled'; response: ResponseObject }
  | { type: 'response.output_item.added'; output_index: number; item: OutputItem }
  | { type: 'response.output_item.done'; output_index: number; item: OutputItem }
  // A message's output_text, or (as OpenAI streams it) a reasoning item's reasoning_text.
  | ({ type: 'response.content_part.added'; part: OutputTextPart | ReasoningTextPart } & ContentRef)
  | ({ type: 'response.content_part.done'; part: OutputTextPart | ReasoningTextPart } & ContentRef)
  | ({
      type: 'response.output_text.annotation.added';
      annotation_index: number;
      annotation: CitationAnnotation;
    } & ContentRef)
  | ({ type: 'response.output_text.delta'; delta: string; logprobs: unknown[] } & ContentRef)
  | ({ type: 'response.output_text.done'; text: string; logprobs: unknown[] } & ContentRef)
  | ({ type: 'response.reasoning_text.delta'; delta: string } & ContentRef)
  | ({ type: 'response.reasoning_text.done'; text: string } & ContentRef)
  | ({ type: 'response.function_call_arguments.delta'; delta: string } & ItemRef)
  | ({ type: 'response.function_call_arguments.done'; arguments: string; name: string } & ItemRef)
  // Built-in tool items (ADR-0008), as OpenAI names their events.
  | ({ type: 'response.code_interpreter_call.in_progress' } & ItemRef)
  | ({ type: 'response.code_interpreter_call_code.delta'; delta: string } & ItemRef)
  | ({ type: 'response.code_interpreter_call_code.done'; code: string } & ItemRef)
  | ({ type: 'response.code_interpreter_call.interpreting' } & ItemRef)
  | ({ type: 'response.code_interpreter_call.completed' } & ItemRef)
  | ({ type: 'response.web_search_call.in_progress' } & ItemRef)
  | ({ type: 'response.web_search_call.searching' } & ItemRef)
  | ({ type: 'response.web_search_call.completed' } & ItemRef)
  | ({ type: 'response.file_search_call.in_progress' } & ItemRef)
  | ({ type: 'response.file_search_call.searching' } & ItemRef)
  | ({ type: 'response.file_search_call.completed' } & ItemRef)
  // agentd's own run events, named in the same style.
  | { type: 'response.model_call.started'; step: number; model: string }
  | {
      type: 'response.model_call.completed';
      step: number;
      finish_reason: string;
      usage: { input_tokens: number; output_tokens: number };
    }
  | { type: 'response.tool_call.started'; item_id: string; call_id: string; name: string; arguments: string }
  | {
      type: 'response.tool_call.completed';
      item_id: string;
      call_id: string;
      name: string;
      // The call's arguments again, so that the call's one audit row can be written with its end.
      arguments: string;
      status: 'completed' | 'failed' | 'invalid_arguments' | 'cancelled' | 'denied';
      duration_ms: number;
    }
  | {
      // A tool call the control plane stopped before it ran (a policy, a rate limit, a quota, a budget).
      type: 'response.tool_call.denied';
      call_id: string;
      name: string;
      by: 'policy' | 'rate_limit' | 'quota' | 'budget';
      reason: string;
      policy_id?: string;
    }
  | {
      type: 'response.tool_call.routed';
      call_id: string;
      capability: string;
      tool: string;
      attempt: number;
    }
  | {
      type: 'response.tool_call.fallback';
      call_id: string;
      capability: string;
      from: string;
      to: string | null;
      reason: string;
    }
  | {
      // A safety check on one surface of the run (RunChecks in core): what was decided and why.
      type: 'response.safety.checked';
      surface: SafetySurface;
      action: SafetyAction;
      verdicts: SafetyVerdict[];
      /** The item the check was about (a tool call's call_id, a message's id), when there is one. */
      item_id?: string;
      /** What a block kept from the client: stored for the audit, never streamed. */
      withheld?: string;
    }
  | { type: 'error'; code: string; message: string; param: string | null };

export type ResponseEvent = ResponseEventBody & { sequence_number: number };
export type ResponseEventType = ResponseEvent['type'];
