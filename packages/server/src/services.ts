import { randomBytes } from 'node:crypto';
import { createAdapter } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import { AgentRepository } from './agents/agent-repository.js';
import { ApiKeyRepository } from './api-keys/api-key-repository.js';
import type { Config } from './config/schema.js';
import { ConversationRepository } from './conversations/conversation-repository.js';
import { createModelResolver, type ModelResolver } from './models/model-resolver.js';
import { ResponseRepository } from './responses/response-repository.js';
import { InProcessRunEventBus, type RunEventBus } from './responses/run-event-bus.js';
import { RunManager } from './responses/run-manager.js';
import { SecretBox } from './secrets/secret-box.js';
import { SecretRepository } from './secrets/secret-repository.js';
import type { Database, Queryable } from './storage/database.js';
import { TenantRepository } from './tenants/tenant-repository.js';
import { ToolRepository } from './tools/tool-repository.js';
import { type AdapterFactory, ToolService } from './tools/tool-service.js';

/** What request handlers reach through the context: configuration, storage and repositories. */
export interface Services {
  config: Config;
  db: Database;
  logger: Logger;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  agents: AgentRepository;
  conversations: ConversationRepository;
  responses: ResponseRepository;
  bus: RunEventBus;
  models: ModelResolver;
  runs: RunManager;
  toolRepository: ToolRepository;
  tools: ToolService;
  secrets: SecretRepository;
  /** Repositories bound to a transaction, for writes that span several of them. */
  tenantsIn(tx: Queryable): TenantRepository;
  apiKeysIn(tx: Queryable): ApiKeyRepository;
}

export interface ServiceOverrides {
  models?: ModelResolver;
  createAdapter?: AdapterFactory;
  /** The master key; a random one (secrets lost at exit) when absent, for tests that need none. */
  masterKey?: Buffer;
}

export function createServices(
  config: Config,
  db: Database,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Services {
  const conversations = new ConversationRepository(db);
  const responses = new ResponseRepository(db);
  const bus = new InProcessRunEventBus();
  const models = overrides.models ?? createModelResolver(config);
  const toolRepository = new ToolRepository(db);
  const secrets = new SecretRepository(db, new SecretBox(overrides.masterKey ?? randomBytes(32)));
  const tools = new ToolService(
    toolRepository,
    overrides.createAdapter ?? ((manifest, options) => createAdapter(manifest, options)),
    logger,
    (tenantId, name) => secrets.reveal(tenantId, name),
  );
  const runs = new RunManager({
    responses,
    conversations,
    bus,
    models,
    logger,
    contextTokens: config.AGENTD_CONTEXT_TOKENS,
    toolTimeoutMs: config.AGENTD_TOOL_TIMEOUT_MS,
    tools,
  });
  return {
    config,
    db,
    logger,
    tenants: new TenantRepository(db),
    apiKeys: new ApiKeyRepository(db),
    agents: new AgentRepository(db),
    conversations,
    responses,
    bus,
    models,
    runs,
    toolRepository,
    tools,
    secrets,
    tenantsIn: (tx) => new TenantRepository(tx),
    apiKeysIn: (tx) => new ApiKeyRepository(tx),
  };
}
