import type { LanguageModel, ModelStreamPart, ModelUsage } from '@agentd/spec';
import type { Logger } from 'pino';
import type { PriceTable } from './price-table.js';
import type { UsageKind, UsageRecord, UsageRepository } from './usage-repository.js';

/** Whose a model call is: the tenant, user, key, agent and run its usage is counted against. */
export type UsageAttribution = Omit<
  UsageRecord,
  'kind' | 'model' | 'tool' | 'inputTokens' | 'outputTokens' | 'costUsd'
>;

/**
 * Records what model and tool calls use, priced by the price table. A record
 * that cannot be written is logged, never fails the call it counts.
 */
export class UsageMeter {
  constructor(
    readonly repository: UsageRepository,
    readonly prices: PriceTable,
    private readonly logger: Logger,
  ) {}

  async modelCall(
    who: UsageAttribution,
    model: string,
    usage: ModelUsage,
    kind: UsageKind = 'model_call',
  ): Promise<void> {
    await this.write(this.modelRow(who, model, usage, kind));
  }

  private modelRow(who: UsageAttribution, model: string, usage: ModelUsage, kind: UsageKind): UsageRecord {
    return {
      ...who,
      kind,
      model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: this.prices.costOf(model, usage.inputTokens, usage.outputTokens),
    };
  }

  async toolCall(who: UsageAttribution, tool: string): Promise<void> {
    await this.write({ ...who, kind: 'tool_call', tool });
  }

  /**
   * The model with every call's usage recorded (the last usage report of each
   * stream, as the model contract says), also when the stream ends early. A
   * run's model (`who.responseId`, `withRunBatches`) does not wait for its
   * row: the row goes with the run's next event batch (BatchedUsage).
   */
  model(
    model: LanguageModel,
    who: UsageAttribution,
    kind: UsageKind = 'model_call',
    { withRunBatches = false }: { withRunBatches?: boolean } = {},
  ): LanguageModel {
    const meter = this;
    const runId = withRunBatches && meter.repository.batched.carried ? who.responseId : undefined;
    return {
      provider: model.provider,
      async *stream(request, signal): AsyncIterable<ModelStreamPart> {
        let usage: ModelUsage | undefined;
        try {
          for await (const part of model.stream(request, signal)) {
            if (part.type === 'usage') usage = part.usage;
            yield part;
          }
        } finally {
          if (usage && runId !== undefined) {
            meter.repository.batched.park(runId, meter.modelRow(who, request.model, usage, kind));
          } else if (usage) await meter.modelCall(who, request.model, usage, kind);
        }
      },
    };
  }

  private async write(row: UsageRecord): Promise<void> {
    await this.repository
      .record(row)
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, tenant_id: row.tenantId, response_id: row.responseId },
          'could not record usage',
        ),
      );
  }
}
