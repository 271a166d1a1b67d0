/**
 * Conversation and response items, in the OpenAI Responses API item format.
 * Every item is a discriminated union member on `type`.
 */

export type MessageRole = 'user' | 'assistant' | 'system' | 'developer';

export interface InputTextPart {
  type: 'input_text';
  text: string;
}

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export interface RefusalPart {
  type: 'refusal';
  refusal: string;
}

export type ContentPart = InputTextPart | OutputTextPart | RefusalPart;

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface MessageItem {
  type: 'message';
  id: string;
  role: MessageRole;
  content: ContentPart[];
  status: ItemStatus;
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  id: string;
  call_id: string;
  output: string;
  status: ItemStatus;
}

/** A tool call that waits for a human: the run ends with it, and the client answers in its next request. */
export interface ApprovalRequestItem {
  type: 'approval_request';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  /** Unix seconds after which the request counts as denied. */
  expires_at: number;
  status: ItemStatus;
}

/** The client's answer to an approval request. */
export interface ApprovalResponseItem {
  type: 'approval_response';
  id: string;
  approval_request_id: string;
  approve: boolean;
  reason?: string;
  status: ItemStatus;
}

export type Item =
  | MessageItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | ApprovalRequestItem
  | ApprovalResponseItem;
export type ItemType = Item['type'];
