import { startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, type ApiResponse } from '@agentd/testing';
import OpenAI from 'openai';
import { PublicProtocol } from 'paseto';
import {
  ExportPublicKeyFactory,
  GenerateKeyPairFactory,
  type SecretKey,
  SignFactory,
} from 'paseto/v4/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const v4 = new PublicProtocol(GenerateKeyPairFactory, ExportPublicKeyFactory, SignFactory);

function expectRefused(response: ApiResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
}

/** A token from another signer agentd trusts (AGENTD_PASETO_PUBLIC_KEYS). */
async function signed(key: SecretKey, claims: Record<string, unknown>, expiresIn = 300) {
  return v4.Sign(key, { sub: 'svc-1', tenant: 'tenant_default', role: 'member', ...claims }, { expiresIn });
}

describe('PASETO v4.public tokens', () => {
  let server: TestServer;
  let admin: ApiClient;
  let trusted: SecretKey;
  let stranger: SecretKey;

  beforeAll(async () => {
    const pair = await v4.GenerateKeyPair();
    trusted = pair.secretKey;
    stranger = (await v4.GenerateKeyPair()).secretKey;
    server = await startTestServer({
      backend: 'pglite',
      env: { AGENTD_PASETO_PUBLIC_KEYS: await v4.ExportPublicKey(pair.publicKey) },
    });
    admin = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('issues a short-lived session token from an API key, which the openai client uses', async () => {
    const issued = await admin.post('/v1/auth/token', {});
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    expect(issued.body).toEqual({
      object: 'auth.token',
      token: expect.stringMatching(/^v4\.public\./),
      token_type: 'bearer',
      expires_in: 900,
      expires_at: expect.any(Number),
      tenant_id: 'tenant_default',
      role: 'platform_admin',
      scopes: null,
    });
    expect(Math.abs(issued.body.expires_at - (now + 900))).toBeLessThanOrEqual(2);
    const me = await admin.withKey(issued.body.token).get('/v1/me');
    expect(me.body).toMatchObject({
      method: 'paseto',
      role: 'platform_admin',
      tenant: { id: 'tenant_default' },
    });

    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: issued.body.token, maxRetries: 0 });
    const response = await client.responses.create({ model: 'scripted', input: 'Hello from the web UI.' });
    expect(response.status).toBe('completed');
    expect(server.rawLogs()).not.toContain(issued.body.token.slice(10, 60));
  });

  it('stops a session token once the API key it was issued from is revoked', async () => {
    const created = await admin.post('/v1/api_keys', { name: 'web-ui', role: 'member' });
    expect(created.status).toBe(200);
    const key = admin.withKey(created.body.value as string);
    const issued = await key.post('/v1/auth/token', {});
    const session = admin.withKey(issued.body.token as string);
    expect((await session.get('/v1/me')).status).toBe(200);
    expect((await admin.request('DELETE', `/v1/api_keys/${created.body.id}`)).status).toBe(200);
    expectRefused(await session.get('/v1/me'), 401, 'token_revoked');
    expectRefused(await key.get('/v1/me'), 401, 'invalid_api_key');
    // A token issued from a key that still exists keeps working.
    const other = await admin.post('/v1/auth/token', {});
    expect((await admin.withKey(other.body.token as string).get('/v1/me')).status).toBe(200);
  });

  it('bounds the lifetime and refuses to renew a session token with itself', async () => {
    expect((await admin.post('/v1/auth/token', { expires_in: 30 })).status).toBe(400);
    const tooLong = await admin.post('/v1/auth/token', { expires_in: 7200 });
    expectRefused(tooLong, 400, 'invalid_expires_in');
    expect(tooLong.body.error.param).toBe('expires_in');
    const short = await admin.post('/v1/auth/token', { expires_in: 60 });
    expect(short.body.expires_in).toBe(60);
    const renewed = await admin.withKey(short.body.token).post('/v1/auth/token', {});
    expectRefused(renewed, 403, 'token_exchange_not_allowed');
  });

  it('accepts a token from a configured signer, and refuses it expired', async () => {
    const ok = await admin.withKey(await signed(trusted, { user: 'carol', groups: ['tier2'] })).get('/v1/me');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ subject: 'svc-1', method: 'paseto', role: 'member' });

    const expired = await v4.Sign(trusted, {
      sub: 'svc-1',
      tenant: 'tenant_default',
      role: 'member',
      exp: new Date(Date.now() - 120_000).toISOString(),
    });
    const refused = await admin.withKey(expired).get('/v1/me');
    expectRefused(refused, 401, 'token_expired');
    expect(refused.body.error.type).toBe('authentication_error');
    // Within the 30-second clock skew: still accepted.
    const justExpired = await v4.Sign(trusted, {
      sub: 'svc-1',
      tenant: 'tenant_default',
      role: 'member',
      exp: new Date(Date.now() - 5_000).toISOString(),
    });
    expect((await admin.withKey(justExpired).get('/v1/me')).status).toBe(200);
  });

  it('refuses unknown signers, altered tokens, other versions, unknown tenants and a signer claiming platform_admin', async () => {
    expectRefused(await admin.withKey(await signed(stranger, {})).get('/v1/me'), 401, 'invalid_signature');
    const genuine = await signed(trusted, {});
    const payload = genuine.split('.')[2]!;
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    expectRefused(await admin.withKey(`v4.public.${flipped}`).get('/v1/me'), 401, 'invalid_signature');
    expectRefused(await admin.withKey('v2.local.abcdef').get('/v1/me'), 401, 'invalid_token');
    expectRefused(
      await admin.withKey(await signed(trusted, { tenant: 'tenant_nope' })).get('/v1/me'),
      401,
      'tenant_mismatch',
    );
    expectRefused(
      await admin.withKey(await signed(trusted, { role: 'platform_admin' })).get('/v1/me'),
      401,
      'invalid_token',
    );
  });

  it('narrows a session token to scopes within the credential’s own', async () => {
    const issued = await admin.post('/v1/auth/token', { scopes: ['agents:read'] });
    expect(issued.body.scopes).toEqual(['agents:read']);
    const session = admin.withKey(issued.body.token);
    expect((await session.get('/v1/agents')).status).toBe(200);
    expectRefused(
      await session.post('/v1/agents', { name: 'nope', instructions: 'x' }),
      403,
      'insufficient_scope',
    );

    const key = await admin.post('/v1/api_keys', { name: 'reader', role: 'member', scopes: ['agents:read'] });
    const wider = await admin.withKey(key.body.value).post('/v1/auth/token', { scopes: ['agents:write'] });
    expectRefused(wider, 403, 'scope_too_broad');
    const inherited = await admin.withKey(key.body.value).post('/v1/auth/token', {});
    expect(inherited.body.scopes).toEqual(['agents:read']);
  });

  it('keeps its signing key across a restart: tokens issued before still work', async () => {
    const issued = await admin.post('/v1/auth/token', {});
    await server.stop();
    server = await startTestServer({
      backend: 'pglite',
      reuse: { dataDir: server.dataDir },
      env: { AGENTD_ADMIN_KEY: server.adminKey },
    });
    const me = await new ApiClient(server.url, issued.body.token).get('/v1/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.method).toBe('paseto');
  });
});
