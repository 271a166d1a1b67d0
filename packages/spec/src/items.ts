import type { TokenLogprob } from './model.js';

/**
 * Conversation and response items, in the OpenAI Responses API item format.
 * Every item is a discriminated union member on `type`.
 */

export type MessageRole = 'user' | 'assistant' | 'system' | 'developer';

export interface InputTextPart {
  type: 'input_text';
  text: string;
}

/**
 * A URL the answer cites. `text.slice(start_index, end_index)` is the citing
 * span (UTF-16 code units, as JavaScript slices strings).
 */
export interface UrlCitationAnnotation {
  type: 'url_citation';
  start_index: number;
  end_index: number;
  url: string;
  title: string;
}

/**
 * A passage of a file the answer cites, found by file_search; `index` is where
 * the citation sits in the text. `vector_store_id` and `chunk_index` (agentd's
 * additions, the same as in the cited `file_search_call` result) name the
 * passage; they are absent when that result carried none.
 */
export interface FileCitationAnnotation {
  type: 'file_citation';
  file_id: string;
  filename: string;
  index: number;
  /** agentd: the vector store the cited passage was found in. */
  vector_store_id?: string;
  /** agentd: the cited chunk of the file, numbered from 0 in file order. */
  chunk_index?: number;
}

export type CitationAnnotation = UrlCitationAnnotation | FileCitationAnnotation;

/** agentd writes URL and file citations; items a client sends back may carry other annotation kinds. */
export type OutputTextAnnotation =
  | UrlCitationAnnotation
  | FileCitationAnnotation
  | { type: string; [field: string]: unknown };

export interface OutputTextPart {
  type: 'output_text';
  text: string;
  annotations: OutputTextAnnotation[];
  /** The tokens' log probabilities, when the request included them and the model gave them. */
  logprobs?: TokenLogprob[];
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
  /**
   * agentd: true on an item a worker failure cut short and a new attempt
   * replaces (its model turn asked again, or its tool call run again). It
   * ends `incomplete` (`failed` for a web_search_call) and is not part of
   * the answer: a message's text is emptied, and the model never reads it.
   */
  superseded?: boolean;
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
  /** agentd: replaced by a new attempt after a worker failure (see MessageItem). */
  superseded?: boolean;
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

/**
 * Built-in tool items (ADR-0008): how a built-in tool shows its work, as OpenAI
 * streams its built-in tools. They sit beside the function_call and
 * function_call_output pair the model reads; `call_id` links them.
 */

/** A stored image: `url` opens it (a signed link, or the files API's content route); `file_id` names it. */
export interface BuiltinImageOutput {
  type: 'image';
  url: string;
  /** agentd: the stored file. */
  file_id: string;
}

export interface CodeInterpreterLogsOutput {
  type: 'logs';
  logs: string;
}

/** agentd: a file the code wrote under /mnt/data, stored. */
export interface CodeInterpreterFileOutput {
  type: 'file';
  file_id: string;
  /** A signed link that opens the file without an API key, for a while (absent in items stored before it). */
  url?: string;
  path: string;
  mime_type: string;
  bytes: number;
}

export type CodeInterpreterOutput =
  | CodeInterpreterLogsOutput
  | BuiltinImageOutput
  | CodeInterpreterFileOutput;

export type CodeInterpreterCallStatus =
  | 'in_progress'
  | 'interpreting'
  | 'completed'
  | 'incomplete'
  | 'failed';

export interface CodeInterpreterCallItem {
  type: 'code_interpreter_call';
  id: string;
  code: string | null;
  /** Stable for one session (tenant, conversation, runtime). */
  container_id: string;
  outputs: CodeInterpreterOutput[] | null;
  status: CodeInterpreterCallStatus;
  /** agentd: the model's function call this item shows. */
  call_id?: string;
  /** agentd: `pyodide` or `cpython`. */
  runtime?: string;
  /** agentd: replaced by a new attempt after a worker failure (see MessageItem). */
  superseded?: boolean;
}

/** A page or result the answer may cite; `title` is agentd's addition. */
export interface WebSearchSource {
  type: 'url';
  url: string;
  title?: string;
}

export type WebSearchAction =
  | { type: 'search'; query: string; sources?: WebSearchSource[] }
  | { type: 'open_page'; url: string | null; title?: string }
  | { type: 'find_in_page'; url: string | null; pattern: string }
  /** agentd: a browser screenshot, stored as an image (see `outputs`). */
  | { type: 'screenshot'; url: string | null; title?: string };

export type WebSearchCallStatus = 'in_progress' | 'searching' | 'completed' | 'failed';

export interface WebSearchCallItem {
  type: 'web_search_call';
  id: string;
  action: WebSearchAction;
  status: WebSearchCallStatus;
  /** agentd: the model's function call this item shows. */
  call_id?: string;
  /** agentd: the built-in that served it: `web_search`, `fetch_url` or `browser`. */
  tool?: string;
  /** agentd: a screenshot's stored image. */
  outputs?: BuiltinImageOutput[];
  /** agentd: replaced by a new attempt after a worker failure (see MessageItem). */
  superseded?: boolean;
}

/** A passage file_search found. */
export interface FileSearchResultEntry {
  file_id: string;
  filename: string;
  score: number;
  text: string;
  /** agentd: which vector store and chunk it came from. */
  vector_store_id?: string;
  chunk_index?: number;
}

export type FileSearchCallStatus = 'in_progress' | 'searching' | 'completed' | 'incomplete' | 'failed';

export interface FileSearchCallItem {
  type: 'file_search_call';
  id: string;
  queries: string[];
  status: FileSearchCallStatus;
  results: FileSearchResultEntry[] | null;
  /** agentd: the model's function call this item shows. */
  call_id?: string;
  /** agentd: replaced by a new attempt after a worker failure (see MessageItem). */
  superseded?: boolean;
}

export type BuiltinToolItem = CodeInterpreterCallItem | WebSearchCallItem | FileSearchCallItem;

export type Item =
  | MessageItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | ApprovalRequestItem
  | ApprovalResponseItem
  | CodeInterpreterCallItem
  | WebSearchCallItem
  | FileSearchCallItem;
export type ItemType = Item['type'];
