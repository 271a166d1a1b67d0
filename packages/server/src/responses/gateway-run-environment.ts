import { allGates, type RunTool, type ToolCallGate, type ToolScope } from '@agentd/core';
import type { NetworkPolicy } from '@agentd/net-policy';
import type { PreparedRun, RunEnvironment, StoredRun } from '@agentd/runtime';
import type { Item, ResponseObject } from '@agentd/spec';
import { createHttpAdapter } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import type { ConversationRepository } from '../conversations/conversation-repository.js';
import { newId } from '../ids.js';
import { lastUserText, memoryTools, withMemories } from '../memories/memory-context.js';
import type { MemoryService } from '../memories/memory-service.js';
import type { ModelResolver } from '../models/model-resolver.js';
import type { TenantNetworkPolicies } from '../network/tenant-network-policies.js';
import type { RunSafety } from '../safety/run-safety.js';
import { WEB_TOOL_NAMES } from '../tools/builtins/builtin-tools.js';
import { instructionsFor, withBuiltinSettings } from '../tools/builtins/run-settings.js';
import type { ToolService } from '../tools/tool-service.js';
import type { RunUsage } from '../usage/run-usage.js';
import { loopOptions } from './loop-options.js';
import type { ResolvedRunTools } from './resolved-run-tools.js';
import type { FunctionToolSpec, RunSpec } from './run-spec.js';

const ITEM_ID_KIND = {
  msg: 'message',
  fc: 'functionCall',
  fco: 'functionCallOutput',
  rs: 'reasoning',
  apr: 'approvalRequest',
  ci: 'codeInterpreterCall',
  ws: 'webSearchCall',
  fs: 'fileSearchCall',
} as const;

export interface GatewayRunEnvironmentOptions {
  conversations: ConversationRepository;
  models: ModelResolver;
  logger: Logger;
  contextTokens: number;
  toolTimeoutMs: number;
  tools: ToolService;
  /** The tools a create in this process resolved, for the run's first execution (ADR-0035). */
  resolved?: ResolvedRunTools;
  /** Long-term memory, for runs whose agent has it on. */
  memories?: MemoryService;
  /** Tokens of remembered facts put into the instructions. */
  memoryTokens?: number;
  /** Where inline function tools with an `endpoint` may connect, per tenant. */
  networkPolicies?: TenantNetworkPolicies;
  /**
   * The control plane's gates on each run's tool calls (policies, rate
   * limits, quotas, budgets), in the order they are asked; the first denial wins.
   */
  toolGates?: readonly ToolGateFactory[];
  /** Counts each run's model calls (tokens, cost) and stops it at its budgets. */
  usage?: RunUsage;
  /** Each run's safety checks and spotlighting, from the platform's, tenant's and agent's settings. */
  safety?: RunSafety;
}

/** Builds one control's gate for a run (undefined when it has nothing to say about this run). */
export type ToolGateFactory = (
  run: StoredRun<RunSpec>,
  scope: ToolScope,
) => ToolCallGate | undefined | Promise<ToolCallGate | undefined>;

/**
 * The gateway's side of executing a run: resolves a stored run's spec into
 * the loop's model, tools (registered, inline, built-in, memory) and
 * instructions, and appends an ended run to its conversation.
 */
export class GatewayRunEnvironment implements RunEnvironment<RunSpec> {
  constructor(private readonly options: GatewayRunEnvironmentOptions) {}

  async prepare(stored: StoredRun<RunSpec>): Promise<PreparedRun> {
    const { models, logger } = this.options;
    const spec = stored.runSpec;
    const scope = scopeOf(stored, spec);
    const policy = await this.options.networkPolicies?.policyFor(stored.tenantId);
    const memories = spec.memory && scope.user ? this.options.memories : undefined;
    const tools = withBuiltinSettings(
      [
        ...spec.tools.map((tool) => this.toRunTool(tool, policy)),
        // Resolved by the create in this process (taken once), else from the stored references.
        ...(this.options.resolved?.take(stored.id) ??
          (await this.options.tools.resolve(stored.tenantId, spec.tool_refs ?? []))),
        ...(memories
          ? memoryTools(memories, this.options.safety?.memoryGuard(stored.tenantId, spec.safety))
          : []),
      ],
      spec.builtin_settings,
    );
    const remembered = memories
      ? await memories
          .contextFor(
            stored.tenantId,
            scope.user!,
            lastUserText(stored.input),
            this.options.memoryTokens ?? 400,
          )
          .catch((error) => {
            logger.warn(
              { err: error, response_id: stored.id },
              'could not read memories; running without them',
            );
            return [];
          })
      : [];
    const gates = await Promise.all((this.options.toolGates ?? []).map((factory) => factory(stored, scope)));
    const toolGate = allGates(gates.filter((gate): gate is ToolCallGate => gate !== undefined));
    const resolved = models.resolve(spec.model);
    const model = this.options.usage ? this.options.usage.model(stored, resolved) : resolved;
    const safety = await this.options.safety?.prepare(
      stored.tenantId,
      spec.safety,
      model,
      tools,
      this.options.usage?.judgeUsage(stored),
    );
    // Tool results marked as data (spotlighting): the system prompt says what the markers mean.
    const marksData = this.readsWeb(tools, spec) || safety?.marksData === true;
    return {
      model: safety?.model ?? model,
      settings: spec.settings,
      toolChoice: spec.tool_choice,
      instructions: withMemories(instructionsFor(spec.instructions, marksData), remembered),
      history: [...stored.history, ...stored.input],
      tools,
      toolScope: scope,
      ...(toolGate ? { toolGate } : {}),
      ...(this.options.usage ? { beforeModelCall: this.options.usage.beforeModelCall(stored) } : {}),
      ...(safety?.checks ? { checks: safety.checks } : {}),
      maxSteps: spec.max_steps,
      maxTotalTokens: spec.max_total_tokens,
      ...loopOptions(spec),
      contextTokens: this.options.contextTokens - (spec.settings.maxOutputTokens ?? 0),
      newId: (prefix) => newId(ITEM_ID_KIND[prefix]),
    };
  }

  async ended(stored: StoredRun<RunSpec>, final: ResponseObject): Promise<void> {
    if (!stored.conversationId) return;
    const finished = final.output.filter(
      (item): item is Item => item.type !== 'reasoning' && item.status === 'completed',
    );
    await this.options.conversations
      .addItems(stored.tenantId, stored.conversationId, [...stored.input, ...finished])
      .catch((error) =>
        this.options.logger.warn(
          { err: error, response_id: stored.id },
          'could not append the run to its conversation',
        ),
      );
  }

  /** Whether the run's tools bring web text into the context: its model is then told that text is data. */
  private readsWeb(tools: RunTool[], spec: RunSpec): boolean {
    if (tools.some((tool) => WEB_TOOL_NAMES.has(tool.definition.name))) return true;
    const capabilities = this.options.tools.builtins?.webCapabilities ?? new Set<string>();
    return (spec.tool_refs ?? []).some((ref) => typeof ref !== 'string' && capabilities.has(ref.capability));
  }

  private toRunTool(tool: FunctionToolSpec, policy: NetworkPolicy | undefined): RunTool {
    const definition = {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: tool.parameters,
    };
    const endpoint = tool.endpoint;
    if (!endpoint) return { definition };
    // An inline tool with an endpoint is an HTTP tool like any registered one: one HTTP path.
    const adapter = createHttpAdapter(
      {
        name: tool.name,
        input_schema: tool.parameters,
        adapter: {
          type: 'http',
          url: endpoint.url,
          ...(endpoint.headers ? { headers: endpoint.headers } : {}),
        },
      },
      policy ? { networkPolicy: policy } : {},
    );
    return {
      definition,
      timeoutMs: endpoint.timeout_ms ?? this.options.toolTimeoutMs,
      execute: (args, context) => adapter.call(tool.name, args, context),
    };
  }
}

/** Who a run's tool calls are for, and what their lasting state is keyed by. */
function scopeOf(stored: StoredRun<RunSpec>, spec: RunSpec): ToolScope {
  return {
    tenantId: stored.tenantId,
    responseId: stored.id,
    ...(stored.conversationId ? { conversationId: stored.conversationId } : {}),
    ...(spec.user === undefined ? {} : { user: spec.user }),
    sessionKey: spec.session_key ?? stored.conversationId ?? stored.id,
    ...(spec.public_url ? { publicUrl: spec.public_url } : {}),
  };
}
