import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';

describe('AGENTD_LIMITS and AGENTD_MODEL_PRICES', () => {
  it('take JSON documents and keep them', () => {
    const config = loadConfig({
      AGENTD_LIMITS:
        '{"rate_limits": {"tenant": {"requests": 600, "per_seconds": 60}}, "budgets": {"period": "month"}}',
      AGENTD_MODEL_PRICES: '{"llama-3.1-70b": {"input": 0.5, "output": 0.7}}',
    });
    expect(config.AGENTD_LIMITS).toEqual({
      rate_limits: { tenant: { requests: 600, per_seconds: 60 } },
      budgets: { period: 'month' },
    });
    expect(config.AGENTD_MODEL_PRICES).toEqual({ 'llama-3.1-70b': { input: 0.5, output: 0.7 } });
  });

  it('stop the server with one line naming what is wrong', () => {
    expect(() => loadConfig({ AGENTD_LIMITS: '{rate_limits' })).toThrow(
      /^AGENTD_LIMITS: expected JSON: rate_limits, tool_quotas and budgets/,
    );
    expect(() => loadConfig({ AGENTD_LIMITS: '{"budgets": {"period": "week"}}' })).toThrow(
      /^AGENTD_LIMITS: budgets\.period: .*"day"\|"month"/,
    );
    expect(() => loadConfig({ AGENTD_LIMITS: '{"rate_limit": {}}' })).toThrow(/^AGENTD_LIMITS: .*rate_limit/);
    expect(() => loadConfig({ AGENTD_MODEL_PRICES: '{"gpt-4o": {"input": -1, "output": 1}}' })).toThrow(
      /^AGENTD_MODEL_PRICES: gpt-4o\.input: /,
    );
  });
});
