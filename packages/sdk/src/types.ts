import type { ResponseObject } from '@agentd/spec';
import type {
  AgentSchema,
  AgentVersionSchema,
  ApiKeySchema,
  AuditEventSchema,
  ConversationSchema,
  CreateAgentSchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  CreatePolicySchema,
  CreateResponseSchema,
  FileSchema,
  FunctionToolSchema,
  MemorySchema,
  ModelSchema,
  PolicySchema,
  PolicyVersionSchema,
  ToolReferenceSchema,
  ToolSchema,
  UpdateAgentSchema,
  VectorStoreSchema,
} from '@agentd/spec/wire';
import type { z } from 'zod';

/**
 * The objects and request bodies of the API, as the SDK types them. Those
 * with a wire schema in @agentd/spec/wire (agents, responses' requests,
 * conversations, API keys, policies, tools, files, memories, models) are derived from it: the schema the
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

/** A registered tool set (its manifest, the tools it offers, their health). */
export type RegisteredTool = z.output<typeof ToolSchema>;

export type FileObject = z.output<typeof FileSchema>;

export type VectorStore = z.output<typeof VectorStoreSchema>;

export type Memory = z.output<typeof MemorySchema>;

export type ApiKey = z.output<typeof ApiKeySchema>;
/** A key as created: `value` is its secret, shown only here. */
export type CreatedApiKey = z.output<typeof CreatedApiKeySchema>;
/** POST /v1/api_keys. */
export type CreateApiKeyParams = z.input<typeof CreateApiKeySchema>;

export type Model = z.output<typeof ModelSchema>;

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
export type AuditEvent = z.output<typeof AuditEventSchema>;

export type { ResponseObject };
