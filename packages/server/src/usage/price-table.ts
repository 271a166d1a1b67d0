import { printableString } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export const ModelPricesSchema = z.record(
  printableString(200),
  z.strictObject({ input: z.number().min(0).max(1e6), output: z.number().min(0).max(1e6) }),
);

/**
 * List prices (USD per million tokens) of common models, standard tier, as
 * published by OpenAI in 2025. AGENTD_MODEL_PRICES adds models and overrides
 * these; a model in neither costs nothing (its tokens still count).
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  scripted: { input: 0, output: 0 },
};

/** What a model's tokens cost: exact names first, then the longest name the model's starts with (`gpt-4o-2024-08-06` is `gpt-4o`). */
export class PriceTable {
  private readonly prices: Map<string, ModelPrice>;
  private readonly byLength: string[];

  constructor(overrides: Readonly<Record<string, ModelPrice>> = {}) {
    this.prices = new Map(Object.entries({ ...DEFAULT_MODEL_PRICES, ...overrides }));
    this.byLength = [...this.prices.keys()].sort((a, b) => b.length - a.length);
  }

  priceOf(model: string): ModelPrice | undefined {
    const exact = this.prices.get(model);
    if (exact) return exact;
    const base = this.byLength.find((name) => model.startsWith(`${name}-`));
    return base === undefined ? undefined : this.prices.get(base);
  }

  costOf(model: string, inputTokens: number, outputTokens: number): number {
    const price = this.priceOf(model);
    if (!price) return 0;
    return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  }
}
