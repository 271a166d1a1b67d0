import type { ResponseObject } from '@agentd/spec';
import type {
  AgentSchema,
  AgentVersionSchema,
  ApiKeySchema,
  ConversationSchema,
  CreateAgentSchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  CreatePolicySchema,
  CreateResponseSchema,
  FunctionToolSchema,
  PolicySchema,
  PolicyVersionSchema,
  ToolReferenceSchema,
  UpdateAgentSchema,
} from '@agentd/spec/wire';
import type { z } from 'zod';

/**
 * The objects and request bodies of the API, as the SDK types them. Those
 * with a wire schema in @agentd/spec/wire (agents, responses' requests,
 * conversations, API keys, policies) are derived from it: the schema the
 * server validates with and the OpenAPI document describes (ADR-0038). Type
 * imports only: the SDK bundles no schema. The rest name the fields callers
 * use most and let the others through.
 */

type Open = { [field: string]: unknown };

/** A tool as a request names it: a registered or built-in tool's name, a capability, or an inline definition. */
export type ToolReference = z.input<typeof ToolReferenceSchema> | z.input<typeof FunctionToolSchema>;

/** POST /v1/responses (`stream` is set by the method: `create` or `stream`). */
export type CreateResponseParams = z.input<typeof CreateResponseSchema>;

export type Agent = z.output<typeof AgentSchema>;
export type AgentVersion = z.output<typeof AgentVersionSchema>;
/** POST /v1/agents. */
export type CreateAgentParams = z.input<typeof CreateAgentSchema>;
/** PATCH /v1/agents/{id}: any field of the agent, at least one. */
export type AgentParams = z.input<typeof UpdateAgentSchema>;

export type Conversation = z.output<typeof ConversationSchema>;

export interface RegisteredTool extends Open {
  id: string;
  object: 'tool';
  name: string;
  description: string;
}

export interface FileObject extends Open {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
}

export interface VectorStore extends Open {
  id: string;
  object: 'vector_store';
  name: string | null;
  status: string;
}

export interface Memory extends Open {
  id: string;
  object: 'memory';
  user: string;
  text: string;
  response_id: string | null;
  created_at: number;
}

export type ApiKey = z.output<typeof ApiKeySchema>;
/** A key as created: `value` is its secret, shown only here. */
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;
/** POST /v1/api_keys. */
export type CreateApiKeyParams = z.input<typeof CreateApiKeySchema>;

export interface Model extends Open {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export interface Moderation extends Open {
  id: string;
  model: string;
  results: ({ flagged: boolean; categories: Record<string, boolean> } & Open)[];
}

export type Policy = z.output<typeof PolicySchema>;
export type PolicyVersion = z.output<typeof PolicyVersionSchema>;
/** POST /v1/policies. */
export type CreatePolicyParams = z.input<typeof CreatePolicySchema>;

export interface UsageReport extends Open {
  object: 'list';
  start_time: number;
  end_time: number;
  group_by: string[];
  data: ({
    object: 'usage.bucket';
    input_tokens: number;
    output_tokens: number;
    total_tokens: number;
    cost_usd: number;
    runs: number;
  } & Open)[];
}

/** One audit log entry, in the shape of OpenAI's audit log: the payload sits under a key named after `type`. */
export interface AuditEvent extends Open {
  id: string;
  object: 'audit_event';
  type: string;
  /** When it happened, Unix seconds. */
  effective_at: number;
  actor: ({ type: string } & Open) | null;
  resource: { type: string; id: string } | null;
  /** What recomputing the event's hash needs (GET /v1/audit_events/verify checks the chain). */
  chain: { tenant_id: string; sequence: number; timestamp: string; prev_hash: string; hash: string };
}

export type { ResponseObject };
