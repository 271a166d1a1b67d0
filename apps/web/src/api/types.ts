// The wire types, from agentd's contracts package (types only: nothing of it is bundled).
export type {
  ApprovalRequestItem,
  CodeInterpreterCallItem,
  FileSearchCallItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  Item,
  MessageItem,
  OutputItem,
  OutputTextPart,
  ReasoningItem,
  ResponseEvent,
  ResponseObject,
  ResponseStatus,
  WebSearchCallItem,
} from '@agentd/spec';

export interface Page<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface Agent {
  id: string;
  object: 'agent';
  name: string;
  version: number;
  description: string | null;
  instructions: string | null;
  model: string | null;
  tools: unknown[];
  created_at: number;
  updated_at: number;
  metadata: Record<string, string>;
}

export interface Conversation {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Record<string, string>;
}

export interface FileObject {
  id: string;
  object: 'file';
  filename: string;
  bytes: number;
  purpose: string;
}

export type Role = 'member' | 'admin' | 'platform_admin';

export interface ApiKey {
  id: string;
  object: 'api_key';
  name: string;
  role: Role;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
}

/** The answer that creates a key: the only one that holds its secret. */
export interface CreatedApiKey extends ApiKey {
  value: string;
}
