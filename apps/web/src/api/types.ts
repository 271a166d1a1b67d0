// The wire types, from agentd's contracts package and the SDK (types only: nothing of it is bundled).
export type {
  ApprovalRequestItem,
  CodeInterpreterCallItem,
  FileSearchCallItem,
  FunctionCallItem,
  FunctionCallOutputItem,
  Item,
  ListPage,
  MessageItem,
  OutputItem,
  OutputTextPart,
  ReasoningItem,
  ResponseEvent,
  ResponseObject,
  ResponseStatus,
  Role,
  WebSearchCallItem,
} from '@agentd/spec';

import type { ApiKey as SdkApiKey, ToolReference } from '@agentd/sdk';
import type { Role } from '@agentd/spec';

export type { Conversation, CreatedApiKey, FileObject, ToolReference, VectorStore } from '@agentd/sdk';

/** A stored agent (the SDK's `Agent` name is its client-side agent class). */
export interface Agent {
  id: string;
  object: 'agent';
  name: string;
  version: number;
  description: string | null;
  instructions: string | null;
  model: string | null;
  tools: ToolReference[];
  tool_choice?: unknown;
  max_steps?: number;
  model_settings?: Record<string, unknown>;
  metadata: Record<string, string>;
  created_at: number;
  updated_at: number;
  [field: string]: unknown;
}

export interface ApiKey extends SdkApiKey {
  role: Role;
}
