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
    await this.write({
      ...who,
      kind,
      model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: this.prices.costOf(model, usage.inputTokens, usage.outputTokens),
    });
  }

  async toolCall(who: UsageAttribution, tool: string): Promise<void> {
    await this.write({ ...who, kind: 'tool_call', tool });
  }

  /**
   * The model with every call's usage recorded (the last usage report of each
   * stream, as the model contract says), also when the stream ends early.
   */
  model(model: LanguageModel, who: UsageAttribution, kind: UsageKind = 'model_call'): LanguageModel {
    const meter = this;
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
          if (usage) await meter.modelCall(who, request.model, usage, kind);
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
