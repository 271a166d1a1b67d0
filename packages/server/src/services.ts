import { randomBytes } from 'node:crypto';
import type { NetworkPolicy } from '@agentd/net-policy';
import { RUN_TASK, RunManager, RunRuntime } from '@agentd/runtime';
import type { RunEventBus } from '@agentd/spec';
import { createAdapter } from '@agentd/tools-gateway';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { AgentRepository } from './agents/agent-repository.js';
import { ApiKeyRepository } from './api-keys/api-key-repository.js';
import { AuditLog } from './audit/audit-log.js';
import { ThrottledAudit } from './audit/throttled-audit.js';
import type { Config } from './config/schema.js';
import { ConversationRepository } from './conversations/conversation-repository.js';
import { FileArtifactStore } from './files/file-artifact-store.js';
import { createIdentityServices, type IdentityServices } from './identity/identity-services.js';
import {
  createKnowledgeServices,
  type KnowledgeOptions,
  type KnowledgeServices,
} from './knowledge-services.js';
import { createLimitServices, type LimitServices } from './limits/limit-services.js';
import { Metrics } from './metrics/metrics.js';
import { runMetrics } from './metrics/run-metrics.js';
import { createModelResolver, type ModelResolver } from './models/model-resolver.js';
import { serverNetworkPolicy } from './network/server-network-policy.js';
import { TenantNetworkPolicies } from './network/tenant-network-policies.js';
import { PolicyEngine } from './policies/policy-engine.js';
import { policyToolGate } from './policies/policy-gate.js';
import { PolicyRepository } from './policies/policy-repository.js';
import { PolicyService } from './policies/policy-service.js';
import { RunFileReads } from './policies/run-file-reads.js';
import { GatewayRunEnvironment } from './responses/gateway-run-environment.js';
import { ResolvedRunTools } from './responses/resolved-run-tools.js';
import { ResponseRepository } from './responses/response-repository.js';
import type { RunSpec } from './responses/run-spec.js';
import type { RunBackbone } from './run-backbone.js';
import { platformSafety } from './safety/platform-safety.js';
import type { RunSafety } from './safety/run-safety.js';
import { TenantSafetySettings } from './safety/tenant-safety-settings.js';
import { previousMasterKeys } from './secrets/master-key-rotation.js';
import { SecretBox } from './secrets/secret-box.js';
import { SecretRepository } from './secrets/secret-repository.js';
import type { Database, Queryable } from './storage/database.js';
import { runTracing } from './telemetry/run-trace.js';
import { startTracing, type Tracing } from './telemetry/tracing.js';
import { TenantRepository } from './tenants/tenant-repository.js';
import type { ArtifactStore } from './tools/builtins/artifact-store.js';
import { BuiltinTools, isBuiltinName } from './tools/builtins/builtin-tools.js';
import { ToolRepository } from './tools/tool-repository.js';
import { type AdapterFactory, ToolService } from './tools/tool-service.js';

/** What request handlers reach through the context: configuration, storage and repositories. */
export interface Services extends KnowledgeServices, IdentityServices {
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
  /** Runs: queued, executed by a worker (here, unless AGENTD_ROLE=api), followed and cancelled wherever they run. */
  runs: RunRuntime<RunSpec>;
  /** The queue, leases, live events and cancels runs travel by (embedded or scaled). */
  backbone: RunBackbone;
  /** Prometheus metrics of this process (GET /metrics). */
  metrics: Metrics;
  /** Rate limits, tool quotas, budgets and usage records (README: Limits and budgets, Usage). */
  limits: LimitServices;
  /** OpenTelemetry traces, when an OTLP endpoint is set (README: Observability). */
  tracing: Tracing | undefined;
  toolRepository: ToolRepository;
  tools: ToolService;
  /** The tools each create resolved, handed to the run's first execution here (resolved once per request). */
  resolvedTools: ResolvedRunTools;
  secrets: SecretRepository;
  /** The network policy of each tenant's tools (server-wide rules plus the tenant's own). */
  networkPolicies: TenantNetworkPolicies;
  /** Each run's safety checks, from the platform's, the tenant's and the agent's settings (README: Safety). */
  safety: RunSafety;
  safetySettings: TenantSafetySettings;
  /** The audit log: `audit.record(tx, event)` in the transaction of the change (README: Reading the audit log). */
  audit: AuditLog;
  /** Refused logins and policy denials, audited at a bounded rate (anyone can cause them). */
  refusals: ThrottledAudit;
  /** Repositories bound to a transaction, for writes that span several of them. */
  /** Tenants' Cedar policies: written through /v1/policies, asked before tool calls, agents and approvals. */
  policies: PolicyService;
  tenantsIn(tx: Queryable): TenantRepository;
  apiKeysIn(tx: Queryable): ApiKeyRepository;
}

export interface ServiceOverrides extends Omit<KnowledgeOptions, 'masterKey'> {
  models?: ModelResolver;
  createAdapter?: AdapterFactory;
  /** Where tenants' HTTP, OpenAPI and MCP-over-HTTP tools may connect; default: AGENTD_NET_ALLOW/_DENY. */
  networkPolicy?: NetworkPolicy;
  /** The master key; a random one (secrets lost at exit) when absent, for tests that need none. */
  masterKey?: Buffer;
  /** Where built-in tools store images and files; by default the files API. */
  artifacts?: ArtifactStore;
}

/** The largest file placed under the code interpreter's /mnt/data (the session's quota is 100 MB). */
const CODE_INTERPRETER_FILE_BYTES = 100 * 1024 * 1024;

export function createServices(
  config: Config,
  db: Database,
  logger: Logger,
  backbone: RunBackbone,
  overrides: ServiceOverrides = {},
): Services {
  const conversations = new ConversationRepository(db);
  const audit = new AuditLog(db);
  // Embedded mode: the process that creates a run executes it, so the create is its first claim.
  const responses = new ResponseRepository(
    db,
    config.AGENTD_AUDIT_RUNS ? audit : undefined,
    // Scaled mode: the create adds the run's job in its own statement.
    backbone.mode === 'scaled'
      ? { enqueueTask: RUN_TASK }
      : { claimCreated: { owner: backbone.owner, leaseMs: config.AGENTD_RUN_LEASE_MS } },
  );
  const bus = backbone.bus;
  const toolRepository = new ToolRepository(db);
  const box = new SecretBox(overrides.masterKey ?? randomBytes(32), previousMasterKeys(config));
  const secrets = new SecretRepository(db, box);
  const tenants = new TenantRepository(db);
  // Keeps tenants' tools off loopback, private and metadata addresses unless AGENTD_NET_ALLOW allows them.
  const networkPolicy = overrides.networkPolicy ?? serverNetworkPolicy(config);
  const networkPolicies = new TenantNetworkPolicies(db, networkPolicy);
  const limits = createLimitServices(config, db, logger, backbone.rateLimits);
  const knowledge = createKnowledgeServices(config, db, logger, {
    ...overrides,
    meterEmbeddings: (tenantId, usage) =>
      limits.meter.modelCall(
        { tenantId },
        usage.model,
        { inputTokens: usage.inputTokens, outputTokens: 0 },
        'embedding',
      ),
  });
  // Refused logins and policy denials: audited, throttled (README: Reading the audit log).
  const refusals = new ThrottledAudit(audit, logger, {
    limit: config.AGENTD_AUDIT_REFUSALS_PER_WINDOW,
    windowSeconds: config.AGENTD_AUDIT_REFUSAL_WINDOW_SECONDS,
  });
  const policyRepository = new PolicyRepository(db);
  const policies = new PolicyService(
    policyRepository,
    new PolicyEngine(policyRepository, logger),
    toolRepository,
    refusals,
  );
  // What runs read through built-in tools is the policies' `read_file` too.
  const fileReads = new RunFileReads(policies, refusals);
  const builtins = new BuiltinTools({
    config,
    logger,
    artifacts: overrides.artifacts ?? new FileArtifactStore(knowledge.files, knowledge.fileLinks),
    policy: networkPolicy,
    tenantPolicy: (tenantId) => networkPolicies.policyFor(tenantId),
    fileSearch: knowledge.fileSearch,
    fileReads,
    readFile: async (scope, fileId) => {
      const { file, bytes } = await knowledge.files.readAll(
        scope.tenantId,
        fileId,
        CODE_INTERPRETER_FILE_BYTES,
      );
      return { filename: file.filename, bytes };
    },
  });
  // The stand-in says why a built-in it would drive is off, rather than to name it in `tools`.
  const models =
    overrides.models ??
    createModelResolver(config, {
      unavailable: (tool) => (isBuiltinName(tool) ? builtins.unavailable(tool) : undefined),
    });
  const tools = new ToolService(
    toolRepository,
    overrides.createAdapter ??
      ((manifest, { trusted, tenantPolicy, ...options }) =>
        createAdapter(
          manifest,
          trusted ? options : { ...options, networkPolicy: tenantPolicy ?? networkPolicy },
        )),
    logger,
    (tenantId, name) => secrets.reveal(tenantId, name),
    (tenantId) => networkPolicies.policyFor(tenantId),
    builtins,
  );
  const resolvedTools = new ResolvedRunTools(config.AGENTD_ROLE !== 'api');
  const metrics: Metrics = new Metrics({
    queueDepth: () => backbone.queue.depth(),
    runsInProgress: (): number => manager.running,
    sandboxes: async () => {
      const status = await builtins.status();
      return { pools: status.pools ?? {}, browserSessions: status.browser?.sessions ?? null };
    },
  });
  const tracing = startTracing(config);
  const safetySettings = new TenantSafetySettings(db);
  const safety = platformSafety(config, safetySettings);
  const manager = new RunManager<RunSpec>({
    onEnded: (status) => metrics.runEnded(status),
    observers: [
      runMetrics(metrics),
      ...(tracing ? [runTracing(trace.getTracer('agentd'), config.AGENTD_TRACE_CONTENT)] : []),
    ],
    store: responses,
    bus,
    logger,
    storageRetryMs: config.AGENTD_STORAGE_RETRY_MS,
    environment: new GatewayRunEnvironment({
      conversations,
      models,
      logger,
      contextTokens: config.AGENTD_CONTEXT_TOKENS,
      toolTimeoutMs: config.AGENTD_TOOL_TIMEOUT_MS,
      tools,
      resolved: resolvedTools,
      memories: knowledge.memories,
      memoryTokens: config.AGENTD_MEMORY_TOKENS,
      networkPolicies,
      safety,
      usage: limits.runUsage,
      // Limits and quotas last: a call another gate (a policy) denies spends none of them.
      // Policies first: a call they deny spends no rate limit or quota.
      toolGates: [fileReads.register, policyToolGate(policies), limits.toolGate],
    }),
  });
  const runs = new RunRuntime<RunSpec>({
    store: responses,
    manager,
    queue: backbone.queue,
    leases: backbone.leases,
    bus,
    cancels: backbone.cancels,
    logger,
    role: config.AGENTD_ROLE,
    owner: backbone.owner,
    concurrency: config.AGENTD_WORKER_CONCURRENCY,
    leaseMs: config.AGENTD_RUN_LEASE_MS,
    maxClaims: config.AGENTD_RUN_MAX_CLAIMS,
    onLeaseLost: () => metrics.leaseLost(),
    // Redis may drop live events (a restart): idle streams check the log now and then; in-process never does.
    quietMs: backbone.mode === 'scaled' ? 10_000 : 60_000,
    ...(backbone.takeOverLeases ? { takeOverLeases: backbone.takeOverLeases } : {}),
  });
  const apiKeys = new ApiKeyRepository(db);
  return {
    ...knowledge,
    networkPolicies,
    safety,
    safetySettings,
    policies,
    audit,
    refusals,
    config,
    db,
    logger,
    ...createIdentityServices(config, db, box, tenants, (tenantId, id) => apiKeys.isLive(tenantId, id)),
    tenants,
    apiKeys,
    agents: new AgentRepository(db),
    conversations,
    responses,
    bus,
    models,
    runs,
    backbone,
    metrics,
    limits,
    tracing,
    toolRepository,
    tools,
    resolvedTools,
    secrets,
    tenantsIn: (tx) => new TenantRepository(tx),
    apiKeysIn: (tx) => new ApiKeyRepository(tx),
  };
}
