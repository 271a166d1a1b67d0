import type { Item, ResponseObject } from '@agentd/spec';

/**
 * The objects and request bodies of the API, as the SDK types them. The
 * server validates every body (its zod schemas, the OpenAPI document at
 * /openapi.json); these types name the fields callers use most and let the
 * rest through, until the wire schemas move to @agentd/spec.
 */

type Open = { [field: string]: unknown };

/** A tool as a request names it: a registered or built-in tool's name, a capability, or an inline definition. */
export type ToolReference =
  | string
  | { capability: string }
  | ({ type: 'function'; name: string; description?: string; parameters?: Record<string, unknown> } & Open)
  | ({ type: string } & Open);

export interface CreateResponseParams extends Open {
  input: string | Item[] | Open[];
  agent?: string;
  model?: string;
  instructions?: string;
  tools?: ToolReference[];
  tool_choice?: unknown;
  conversation?: string | { id: string };
  previous_response_id?: string;
  background?: boolean;
  store?: boolean;
  max_output_tokens?: number;
  max_steps?: number;
  max_total_tokens?: number;
  temperature?: number;
  metadata?: Record<string, string>;
  user?: string;
  include?: string[];
}

export interface Agent extends Open {
  id: string;
  object: 'agent';
  name: string;
  version: number;
  instructions: string | null;
  model: string | null;
  tools: ToolReference[];
  created_at: number;
  updated_at: number;
}

export interface AgentParams extends Open {
  name?: string;
  description?: string | null;
  instructions?: string | null;
  model?: string | null;
  tools?: ToolReference[];
  max_steps?: number;
  metadata?: Record<string, string>;
}

export interface Conversation extends Open {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Record<string, string>;
}

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

export interface ApiKey extends Open {
  id: string;
  object: 'api_key';
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
}

/** A key as created: `value` is its secret, shown only here. */
export interface CreatedApiKey extends ApiKey {
  value: string;
}

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

export interface Policy extends Open {
  id: string;
  object: 'policy';
  name: string;
  version: number;
}

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
