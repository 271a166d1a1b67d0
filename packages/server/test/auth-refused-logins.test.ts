/**
 * Refused logins in the audit log: a bad API key, an expired or mis-addressed
 * JWT from a tenant's identity provider, a revoked session token. Each is a
 * `login.failed` event in the tenant it concerns (the platform's own when
 * that is unknown) that never holds the credential; a flood is recorded up
 * to a bound and the rest counted in `audit.suppressed`. The official
 * `openai` client is refused as a user would be.
 */

import { startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOidcProvider } from './support/fake-oidc-provider.js';

type AuditView = Record<string, unknown> & { type: string; actor: Record<string, unknown> };

const WINDOW_SECONDS = 3;
const LIMIT = 5;

/** Polls `read` until `done` holds (audit writes of refusals finish before the 401, but a flush is timed). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('refused logins in the audit log (pglite)', () => {
  let server: TestServer;
  let admin: ApiClient;
  let idp: FakeOidcProvider;
  let tenantB: ApiClient;
  let tenantBId: string;

  const events = async (client: ApiClient, type: string): Promise<AuditView[]> => {
    const page = await client.get(`/v1/audit_events?event_types[]=${type}&limit=100`);
    expect(page.status).toBe(200);
    return page.body.data;
  };
  const refusedWith = async (apiKey: string) => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
    return client.models.list().then(
      () => undefined,
      (error: InstanceType<typeof OpenAI.APIError>) => ({
        status: error.status,
        code: (error.error as { code?: string } | undefined)?.code,
      }),
    );
  };

  beforeAll(async () => {
    idp = await FakeOidcProvider.start();
    server = await startTestServer({
      backend: 'pglite',
      env: {
        AGENTD_OIDC_ALLOW_HTTP: 'on',
        AGENTD_AUDIT_REFUSALS_PER_WINDOW: String(LIMIT),
        AGENTD_AUDIT_REFUSAL_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
    admin = new ApiClient(server.url, server.adminKey);
    const created = await admin.post('/v1/tenants', { name: 'tenant-b' });
    expect(created.status).toBe(200);
    tenantBId = created.body.id;
    tenantB = admin.withKey(created.body.api_key.value);
    const provider = await tenantB.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idp.issuer,
      audience: 'agentd-b',
    });
    expect(provider.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  it("records a bad API key in the platform's log, without the key", async () => {
    const bad = `sk-agentd-${'Q7'.repeat(21)}x`;
    expect(await refusedWith(bad)).toEqual({ status: 401, code: 'invalid_api_key' });
    const [event] = await events(admin, 'login.failed');
    expect(event).toMatchObject({
      actor: { type: 'anonymous', anonymous: { ip_address: expect.any(String) } },
      'login.failed': { credential: 'api_key', code: 'invalid_api_key' },
      chain: { tenant_id: 'tenant_default' },
    });
    const exported = await fetch(`${server.url}/v1/audit_events/export`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    const log = await exported.text();
    expect(log).not.toContain(bad);
    expect(log).not.toContain(bad.slice(-12));
  });

  it("records an expired or mis-addressed token of a tenant's provider in that tenant's log, without the token", async () => {
    const expired = await idp.token({ aud: 'agentd-b', exp: Math.floor(Date.now() / 1000) - 3600 });
    expect(await refusedWith(expired)).toEqual({ status: 401, code: 'token_expired' });
    const elsewhere = await idp.token({ aud: 'someone-else' });
    expect(await refusedWith(elsewhere)).toEqual({ status: 401, code: 'invalid_audience' });

    const failed = await events(tenantB, 'login.failed');
    expect(failed.map((event) => (event['login.failed'] as { code: string }).code)).toEqual([
      'invalid_audience',
      'token_expired',
    ]);
    expect(failed[0]).toMatchObject({
      'login.failed': { credential: 'jwt' },
      chain: { tenant_id: tenantBId },
    });
    const text = JSON.stringify(failed);
    for (const token of [expired, elsewhere]) expect(text).not.toContain(token.split('.')[2]!.slice(0, 20));
    // Not in the platform's log: they are tenant B's sign-ins.
    const platform = await events(admin, 'login.failed');
    expect(
      platform.some((event) => (event['login.failed'] as { credential: string }).credential === 'jwt'),
    ).toBe(false);
  });

  it("records a session token used after its key was revoked in the key's tenant", async () => {
    const key = await tenantB.post('/v1/api_keys', { name: 'web-ui', role: 'member' });
    expect(key.status).toBe(200);
    const issued = await tenantB.withKey(key.body.value).post('/v1/auth/token', {});
    expect(issued.status).toBe(200);
    expect((await tenantB.delete(`/v1/api_keys/${key.body.id}`)).status).toBe(200);
    expect(await refusedWith(issued.body.token)).toEqual({ status: 401, code: 'token_revoked' });
    const [event] = await events(tenantB, 'login.failed');
    expect(event).toMatchObject({ 'login.failed': { credential: 'paseto', code: 'token_revoked' } });
    expect(JSON.stringify(event)).not.toContain(issued.body.token.slice(10, 60));
  });

  it('bounds a flood: at most the limit recorded a window, the rest counted in audit.suppressed', async () => {
    const before = (await events(admin, 'login.failed')).length;
    const attempts = 40;
    const refusals = await Promise.all(
      Array.from({ length: attempts }, (_, i) => refusedWith(`sk-agentd-flood-${i}-${'z'.repeat(30)}`)),
    );
    expect(refusals.every((refusal) => refusal?.status === 401)).toBe(true);
    const recorded = (await events(admin, 'login.failed')).length - before;
    expect(recorded).toBeLessThan(attempts);
    // One window after the first left out, the count is recorded: together they are every attempt.
    const suppressed = await eventually(
      () => events(admin, 'audit.suppressed'),
      (found) =>
        found.reduce((sum, event) => sum + (event['audit.suppressed'] as { count: number }).count, 0) +
          recorded >=
        attempts,
    );
    const counted = suppressed.reduce(
      (sum, event) => sum + (event['audit.suppressed'] as { count: number }).count,
      0,
    );
    expect(counted + recorded).toBe(attempts);
    expect(suppressed[0]).toMatchObject({
      actor: { type: 'system' },
      'audit.suppressed': {
        event_type: 'login.failed',
        reason: `more than ${LIMIT} login.failed events in ${WINDOW_SECONDS} s`,
      },
    });
  });
});
