import { describe, expect, it } from 'vitest';
import { periodOf } from '../src/usage/budgets.js';
import { PriceTable } from '../src/usage/price-table.js';

describe('the price table', () => {
  it('prices dated model names as their base model, the longest name first', () => {
    const prices = new PriceTable();
    expect(prices.priceOf('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(prices.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(prices.priceOf('gpt-4omni')).toBeUndefined();
    expect(prices.costOf('gpt-4o-mini', 1_000_000, 1_000_000)).toBeCloseTo(0.75, 10);
  });

  it('takes configured prices over the defaults, and a model in neither costs nothing', () => {
    const prices = new PriceTable({
      'gpt-4o': { input: 1, output: 1 },
      'llama-3.1-70b': { input: 0.5, output: 0.7 },
    });
    expect(prices.costOf('gpt-4o', 500_000, 500_000)).toBeCloseTo(1, 10);
    expect(prices.costOf('llama-3.1-70b-instruct', 1_000_000, 0)).toBeCloseTo(0.5, 10);
    expect(prices.costOf('mystery-model', 1_000_000, 1_000_000)).toBe(0);
  });
});

describe('budget periods', () => {
  it('are UTC days and months', () => {
    const now = new Date('2026-12-31T23:59:59.500Z');
    expect(periodOf('day', now)).toEqual({
      start: new Date('2026-12-31T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
    expect(periodOf('month', now)).toEqual({
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
  });
});
