import { isTerminal, RunSuspended, type RunTool, runLoop, type ToolScope } from '@agentd/core';
import type { NetworkPolicy } from '@agentd/net-policy';
import type { Item, ResponseObject } from '@agentd/spec';
import { createHttpAdapter } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import type { ConversationRepository } from '../conversations/conversation-repository.js';
import { AgentdError } from '../errors.js';
import { newId } from '../ids.js';
import { lastUserText, memoryTools, withMemories } from '../memories/memory-context.js';
import type { MemoryService } from '../memories/memory-service.js';
import type { ModelResolver } from '../models/model-resolver.js';
import type { TenantNetworkPolicies } from '../network/tenant-network-policies.js';
import { retryDelays } from '../storage/write-retry.js';
import { WEB_TOOL_NAMES } from '../tools/builtins/builtin-tools.js';
import { instructionsFor, withBuiltinSettings } from '../tools/builtins/run-settings.js';
import type { ToolService } from '../tools/tool-service.js';
import { loopOptions } from './loop-options.js';
import type { ResponseRepository, StoredResponse } from './response-repository.js';
import type { RunEventBus } from './run-event-bus.js';
import { endFailedRun, RunWriteFailed } from './run-failure.js';
import { RunRecorder } from './run-recorder.js';
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

interface ActiveRun {
  controller: AbortController;
  done: Promise<ResponseObject>;
}

export interface RunManagerOptions {
  responses: ResponseRepository;
  conversations: ConversationRepository;
  bus: RunEventBus;
  models: ModelResolver;
  logger: Logger;
  contextTokens: number;
  toolTimeoutMs: number;
  /** How long a run's writes are retried while the database is unreachable (AGENTD_STORAGE_RETRY_MS). */
  storageRetryMs?: number;
  tools: ToolService;
  /** Long-term memory, for runs whose agent has it on. */
  memories?: MemoryService;
  /** Tokens of remembered facts put into the instructions. */
  memoryTokens?: number;
  /** Where inline function tools with an `endpoint` may connect, per tenant. */
  networkPolicies?: TenantNetworkPolicies;
}

/** Runs responses in this process, detached from the requests that started them. */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();

  /** Pauses between attempts at a run's write while the database is away. */
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: RunManagerOptions) {
    this.retryDelaysMs = retryDelays(options.storageRetryMs ?? 5_000);
  }

  /** Starts a stored, queued response; resolves with its final snapshot. */
  start(stored: StoredResponse, stepsTaken = 0): Promise<ResponseObject> {
    const existing = this.active.get(stored.id);
    if (existing) return existing.done;
    const controller = new AbortController();
    const done = this.run(stored, controller, stepsTaken).finally(() => this.active.delete(stored.id));
    this.active.set(stored.id, { controller, done });
    return done;
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Waits for a run in this process, if there is one. */
  wait(id: string): Promise<ResponseObject> | undefined {
    return this.active.get(id)?.done;
  }

  /** Cancels a running response. A finished one is a conflict. */
  async cancel(stored: StoredResponse): Promise<ResponseObject> {
    if (isTerminal(stored.snapshot.status) && !this.active.has(stored.id)) {
      throw new AgentdError(
        'conflict',
        'response_not_cancellable',
        `Response '${stored.id}' is already ${stored.snapshot.status}; only a queued or in-progress response can be cancelled.`,
      );
    }
    const run = this.active.get(stored.id);
    if (run) {
      run.controller.abort(new Error('cancelled by request'));
      return run.done;
    }
    // Not running here (it never started, or its worker is gone): record the cancellation directly.
    const recorder = new RunRecorder(
      this.options.responses,
      this.options.bus,
      stored.tenantId,
      stored.id,
      stored.lastSequence,
    );
    const response = {
      ...stored.snapshot,
      status: 'cancelled' as const,
      completed_at: Math.floor(Date.now() / 1000),
    };
    recorder.append({ type: 'response.cancelled', response }, response);
    await recorder.flush();
    return response;
  }

  /**
   * Resumes the runs a stopped process left queued or in progress, from their
   * last persisted step. Only for a process that owns every run (embedded mode).
   */
  async recover(): Promise<string[]> {
    const unfinished = await this.options.responses.listUnfinished();
    for (const stored of unfinished) {
      const steps = await this.options.responses.countSteps(stored.tenantId, stored.id);
      this.start(stored, steps).catch((error) =>
        this.options.logger.error({ err: error, response_id: stored.id }, 'resumed run failed to record'),
      );
    }
    return unfinished.map((stored) => stored.id);
  }

  /**
   * Suspends every run in this process (server shutdown): each stops where it
   * is, stays in progress, and is resumed by the next start.
   */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(new RunSuspended());
    await Promise.allSettled(runs.map((run) => run.done));
  }

  private async run(
    stored: StoredResponse,
    controller: AbortController,
    stepsTaken: number,
  ): Promise<ResponseObject> {
    const { responses, bus, logger } = this.options;
    // A write that fails for good stops the run where it is: its model call and tools are aborted.
    const recorder = new RunRecorder(responses, bus, stored.tenantId, stored.id, stored.lastSequence, {
      onFailure: (error) => controller.abort(new RunWriteFailed(error)),
      retryDelaysMs: this.retryDelaysMs,
    });
    let final: ResponseObject;
    try {
      final = await this.execute(stored, controller.signal, stepsTaken, recorder);
    } catch (error) {
      const cause = recorder.failed ?? error;
      logger.error({ err: cause, response_id: stored.id }, 'run stopped: it could not be carried on');
      return endFailedRun(recorder, stored, cause);
    }
    if (stored.conversationId && final.status !== 'in_progress') {
      const finished = final.output.filter(
        (item): item is Item => item.type !== 'reasoning' && item.status === 'completed',
      );
      await this.options.conversations
        .addItems(stored.tenantId, stored.conversationId, [...stored.input, ...finished])
        .catch((error) =>
          logger.warn({ err: error, response_id: stored.id }, 'could not append the run to its conversation'),
        );
    }
    return final;
  }

  /** The run itself: its tools, memories and loop. Throws when the run cannot be recorded. */
  private async execute(
    stored: StoredResponse,
    signal: AbortSignal,
    stepsTaken: number,
    recorder: RunRecorder,
  ): Promise<ResponseObject> {
    const { models, logger } = this.options;
    const spec = stored.runSpec;
    const scope = scopeOf(stored, spec);
    const policy = await this.options.networkPolicies?.policyFor(stored.tenantId);
    const memories = spec.memory && scope.user ? this.options.memories : undefined;
    const tools = withBuiltinSettings(
      [
        ...spec.tools.map((tool) => this.toRunTool(tool, policy)),
        ...(await this.options.tools.resolve(stored.tenantId, spec.tool_refs ?? [])),
        ...(memories ? memoryTools(memories) : []),
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
    return await runLoop({
      response: stored.snapshot,
      model: models.resolve(spec.model),
      settings: spec.settings,
      toolChoice: spec.tool_choice,
      instructions: withMemories(instructionsFor(spec.instructions, this.readsWeb(tools, spec)), remembered),
      history: [...stored.history, ...stored.input],
      tools,
      toolScope: scope,
      maxSteps: spec.max_steps,
      maxTotalTokens: spec.max_total_tokens,
      ...loopOptions(spec),
      stepsTaken,
      contextTokens: this.options.contextTokens - (spec.settings.maxOutputTokens ?? 0),
      signal,
      sink: recorder,
      newId: (prefix) => newId(ITEM_ID_KIND[prefix]),
    });
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
function scopeOf(stored: StoredResponse, spec: RunSpec): ToolScope {
  return {
    tenantId: stored.tenantId,
    responseId: stored.id,
    ...(stored.conversationId ? { conversationId: stored.conversationId } : {}),
    ...(spec.user === undefined ? {} : { user: spec.user }),
    sessionKey: spec.session_key ?? stored.conversationId ?? stored.id,
    ...(spec.public_url ? { publicUrl: spec.public_url } : {}),
  };
}
