import { openaiOptions } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import OpenAI, { RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

/** A tenant of its own, with its admin key, as the platform admin creates it. */
async function newTenant(platform: ApiClient, name: string) {
  const created = await platform.post('/v1/tenants', { name });
  expect(created.status).toBe(200);
  return { id: created.body.id as string, key: created.body.api_key.value as string };
}

async function refusal(call: Promise<unknown>): Promise<RateLimitError> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(RateLimitError);
  return error as RateLimitError;
}

describe('request rate limits per tenant, API key and user', () => {
  const suite = fakeModelSuite({
    backend: 'pglite',
    // A server-wide default every tenant gets unless its own settings say otherwise.
    env: {
      AGENTD_LIMITS: JSON.stringify({ rate_limits: { api_key: { requests: 1000, per_seconds: 60 } } }),
    },
  });

  const client = (key: string) => new OpenAI({ ...openaiOptions(suite.agentd), apiKey: key, maxRetries: 0 });

  it("answers 429 with Retry-After and OpenAI's x-ratelimit headers once a tenant's limit is reached", async () => {
    const tenant = await newTenant(suite.api, 'rate-limited');
    const set = await suite.api.request('PUT', `/v1/tenants/${tenant.id}/limits`, {
      rate_limits: { tenant: { requests: 3, per_seconds: 60 } },
    });
    expect(set.status).toBe(200);
    const openai = client(tenant.key);
    suite.fake.enqueue({ text: 'one' }, { text: 'two' });

    const first = await openai.responses.create({ model: 'fake-model', input: 'hello' }).withResponse();
    expect(first.data.output_text).toBe('one');
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+s$/);
    await openai.responses.create({ model: 'fake-model', input: 'again' });
    // Every API request counts, not only those that run a model.
    const models = await openai.models.list().withResponse();
    expect(models.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const error = await refusal(openai.responses.create({ model: 'fake-model', input: 'one too many' }));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toMatch(/Rate limit reached for your tenant: 3 requests per 60 s/);
    const retryAfter = Number(error.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+s$/);
    // The model was asked twice: the refused request never reached it.
    expect(suite.fake.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(2);

    // Another tenant is not limited by this one's traffic.
    const other = await newTenant(suite.api, 'not-limited');
    suite.fake.enqueue({ text: 'fine' });
    expect((await client(other.key).responses.create({ model: 'fake-model', input: 'hi' })).output_text).toBe(
      'fine',
    );
  });

  it('limits each API key on its own, from the server default or the tenant setting', async () => {
    const tenant = await newTenant(suite.api, 'per-key');
    await suite.api.request('PUT', `/v1/tenants/${tenant.id}/limits`, {
      rate_limits: { api_key: { requests: 2, per_seconds: 3600 } },
    });
    const admin = suite.api.withKey(tenant.key);
    const second = await admin.post('/v1/api_keys', { name: 'second', role: 'member' });
    expect(second.status).toBe(200);
    const other = client(second.body.value as string);
    // The first key spent one request creating the second.
    await client(tenant.key).models.list();
    const error = await refusal(client(tenant.key).models.list());
    expect(error.message).toMatch(/Rate limit reached for your API key: 2 requests per 3600 s/);
    expect(error.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(error.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+h)?\d+m\d+s$/);
    const fine = await other.models.list().withResponse();
    expect(fine.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });

  it('documents the 429 and its headers in the OpenAPI document', async () => {
    const doc = await suite.api.get('/openapi.json');
    for (const [path, method] of [
      ['/v1/responses', 'post'],
      ['/v1/chat/completions', 'post'],
      ['/v1/models', 'get'],
    ] as const) {
      const limited = doc.body.paths[path][method].responses['429'];
      expect(limited, `${method} ${path}`).toBeDefined();
      expect(Object.keys(limited.headers)).toEqual(
        expect.arrayContaining(['Retry-After', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-tokens']),
      );
    }
    expect(doc.body.paths['/v1/usage'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['start_time', 'end_time', 'group_by', 'tenant_id']),
    );
  });

  it('shows a tenant its limits, and only a platform admin sets them', async () => {
    const tenant = await newTenant(suite.api, 'reads-limits');
    const put = await suite.api.request('PUT', `/v1/tenants/${tenant.id}/limits`, {
      rate_limits: { api_key: null, user: { requests: 10, per_seconds: 1 } },
      budgets: { period: 'month', tenant: { cost_usd: 25 } },
    });
    expect(put.status).toBe(200);
    const admin = suite.api.withKey(tenant.key);
    const read = await admin.get('/v1/limits');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      object: 'limits',
      tenant: {
        rate_limits: { api_key: null, user: { requests: 10, per_seconds: 1 } },
        budgets: { period: 'month', tenant: { cost_usd: 25 } },
      },
      server: { rate_limits: { api_key: { requests: 1000, per_seconds: 60 } } },
      effective: {
        rate_limits: { user: { requests: 10, per_seconds: 1 } },
        tool_quotas: [],
        budgets: { period: 'month', tenant: { cost_usd: 25 } },
      },
    });
    const refused = await admin.request('PUT', `/v1/tenants/${tenant.id}/limits`, {});
    expect(refused.status).toBe(403);
    const bad = await suite.api.request('PUT', `/v1/tenants/${tenant.id}/limits`, {
      rate_limits: { tenant: { requests: 0, per_seconds: 60 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('rate_limits.tenant.requests');
    const unknown = await suite.api.request('PUT', '/v1/tenants/tenant_none/limits', {});
    expect(unknown.status).toBe(404);
  });
});
