import { RETRY_DEFAULTS, type RetryOptions } from './core/backoff.js';
import { type FetchLike, Transport } from './core/transport.js';
import { Agents } from './resources/agents.js';
import { ApiKeys } from './resources/api-keys.js';
import { Chat } from './resources/chat.js';
import { Conversations } from './resources/conversations.js';
import { Files } from './resources/files.js';
import { AuditEvents, Policies, Usage } from './resources/governance.js';
import { Identity } from './resources/identity.js';
import { Logs } from './resources/logs.js';
import { Memories } from './resources/memories.js';
import { Models, Moderations } from './resources/models.js';
import { Responses } from './resources/responses.js';
import { Limits, Secrets, Tenancy } from './resources/tenancy.js';
import { Tools } from './resources/tools.js';
import { VectorStores } from './resources/vector-stores.js';

export interface AgentdOptions {
  /** The server, e.g. `http://localhost:8080` (a trailing `/v1` is accepted too). */
  baseURL: string;
  apiKey: string;
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: FetchLike;
  /** Retries of idempotent requests (default: 2 retries, 0.5 s doubling, capped at 8 s). */
  retry?: RetryOptions;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/**
 * The agentd API client: `new Agentd({ baseURL, apiKey })`. Runs in Node 20
 * and in browsers (fetch, web streams, no Node modules).
 */
export class Agentd {
  readonly responses: Responses;
  readonly conversations: Conversations;
  readonly agents: Agents;
  readonly tools: Tools;
  readonly files: Files;
  readonly vectorStores: VectorStores;
  readonly memories: Memories;
  readonly apiKeys: ApiKeys;
  readonly moderations: Moderations;
  readonly models: Models;
  readonly policies: Policies;
  readonly usage: Usage;
  readonly auditEvents: AuditEvents;
  readonly secrets: Secrets;
  readonly limits: Limits;
  /** The caller (`me()`), tenants, and the tenant's network and safety settings. */
  readonly tenancy: Tenancy;
  /** The OpenAI-compatible Chat Completions API (`chat.completions.create` and `.stream`). */
  readonly chat: Chat;
  /** Session tokens and the tenant's identity provider. */
  readonly identity: Identity;
  /** The server's log lines (platform admins). */
  readonly logs: Logs;
  /** The server's root URL, without `/v1`. */
  readonly baseURL: string;

  constructor(options: AgentdOptions) {
    this.baseURL = options.baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
    const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const transport = new Transport({
      baseURL: this.baseURL,
      apiKey: options.apiKey,
      fetch: fetchImpl,
      retry: { ...RETRY_DEFAULTS, ...options.retry },
      headers: options.headers ?? {},
    });
    this.responses = new Responses(transport);
    this.conversations = new Conversations(transport);
    this.agents = new Agents(transport);
    this.tools = new Tools(transport);
    this.files = new Files(transport);
    this.vectorStores = new VectorStores(transport);
    this.memories = new Memories(transport);
    this.apiKeys = new ApiKeys(transport);
    this.moderations = new Moderations(transport);
    this.models = new Models(transport);
    this.policies = new Policies(transport);
    this.usage = new Usage(transport);
    this.auditEvents = new AuditEvents(transport);
    this.secrets = new Secrets(transport);
    this.limits = new Limits(transport);
    this.tenancy = new Tenancy(transport);
    this.chat = new Chat(transport);
    this.identity = new Identity(transport);
    this.logs = new Logs(transport);
  }
}
