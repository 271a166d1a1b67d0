import { createHmac } from 'node:crypto';
import { startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient, type ApiResponse } from '@agentd/testing';
import { exportSPKI, importJWK } from 'jose';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOidcProvider } from './support/fake-oidc-provider.js';

/** A refusal as a caller sees it: the status and an error naming the problem. */
function expectRefused(response: ApiResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.body.error).toMatchObject({
    type: status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : expect.any(String),
    code,
    message: expect.any(String),
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A test server whose platform-wide provider (AGENTD_OIDC_ISSUER) is a fake
 * IdP of its own, for the tests of the calling `describe`; `env` adds to it.
 */
function platformProviderSuite(env: Record<string, string>) {
  const suite = {} as { server: TestServer; idp: FakeOidcProvider };
  beforeAll(async () => {
    suite.idp = await FakeOidcProvider.start();
    suite.server = await startTestServer({
      backend: 'pglite',
      env: {
        ...env,
        AGENTD_OIDC_ALLOW_HTTP: 'on',
        AGENTD_OIDC_ISSUER: suite.idp.issuer,
        AGENTD_OIDC_AUDIENCE: 'agentd-platform',
      },
    });
  });
  afterAll(async () => {
    await suite.server?.close();
    await suite.idp?.close();
  });
  return suite;
}

describe('OIDC access tokens (JWT) from a tenant’s identity provider', () => {
  let server: TestServer;
  let admin: ApiClient;
  let idpA: FakeOidcProvider;
  let idpB: FakeOidcProvider;
  let tenantB: { id: string; name: string; api_key: { value: string } };
  const tokens: string[] = [];
  const as = (token: string) => {
    tokens.push(token);
    return admin.withKey(token);
  };

  beforeAll(async () => {
    [idpA, idpB] = await Promise.all([FakeOidcProvider.start(), FakeOidcProvider.start()]);
    // The providers listen on the loopback, which the test server's network policy allows.
    server = await startTestServer({ backend: 'pglite', env: { AGENTD_OIDC_ALLOW_HTTP: 'on' } });
    admin = new ApiClient(server.url, server.adminKey);
    const created = await admin.post('/v1/tenants', { name: 'tenant-b' });
    expect(created.status).toBe(200);
    tenantB = created.body;
  });
  afterAll(async () => {
    await server?.close();
    await idpA?.close();
    await idpB?.close();
  });

  it('lets a tenant admin set, read and replace the identity provider', async () => {
    expectRefused(await admin.get('/v1/tenant/identity_provider'), 404, 'identity_provider_not_found');
    const put = await admin.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idpA.issuer,
      audience: 'agentd-a',
      claims: { tenant: 'tenant' },
      role_map: { 'agentd-admins': 'admin' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({
      object: 'identity_provider',
      issuer: idpA.issuer,
      audience: 'agentd-a',
      claims: { user: 'sub', roles: 'roles', groups: 'groups', scopes: 'scope', tenant: 'tenant' },
      role_map: { 'agentd-admins': 'admin' },
      default_role: 'member',
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect((await admin.get('/v1/tenant/identity_provider')).body).toEqual(put.body);

    const bad = await admin.request('PUT', '/v1/tenant/identity_provider', {
      issuer: 'ftp://idp.example.com',
      audience: 'x',
    });
    expectRefused(bad, 400, 'invalid_issuer');
    expect(bad.body.error.param).toBe('issuer');
    const badClaim = await admin.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idpA.issuer,
      audience: 'x',
      role_map: { x: 'platform_admin' },
    });
    expect(badClaim.status).toBe(400);
    expect(badClaim.body.error.param).toContain('role_map');

    // A member key may not change it.
    const member = await admin.post('/v1/api_keys', { name: 'member', role: 'member' });
    const refused = await admin.withKey(member.body.value).request('PUT', '/v1/tenant/identity_provider', {
      issuer: idpA.issuer,
      audience: 'agentd-a',
    });
    expectRefused(refused, 403, 'permission_denied');

    const b = admin.withKey(tenantB.api_key.value);
    const takenAudience = await b.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idpA.issuer,
      audience: 'agentd-a',
    });
    expectRefused(takenAudience, 409, 'identity_provider_taken');
    const bPut = await b.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idpB.issuer,
      audience: 'agentd-b',
    });
    expect(bPut.status).toBe(200);
  });

  it('authenticates a valid token into its tenant, mapping user, roles, groups; with RS256, ES256 and EdDSA', async () => {
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      const me = await as(
        await idpA.token({ aud: 'agentd-a', tenant: 'default', sub: `alice-${alg}` }, { alg }),
      ).get('/v1/me');
      expect(me.status, JSON.stringify(me.body)).toBe(200);
      expect(me.body).toMatchObject({
        tenant: { id: 'tenant_default' },
        subject: `alice-${alg}`,
        method: 'jwt',
        role: 'member',
      });
    }
    const adminToken = await idpA.token({
      aud: ['other-api', 'agentd-a'],
      tenant: 'tenant_default',
      roles: ['staff', 'agentd-admins'],
      groups: ['tier2'],
    });
    const me = await as(adminToken).get('/v1/me');
    expect(me.body).toMatchObject({ method: 'jwt', role: 'admin' });
    expect((await as(adminToken).get('/v1/api_keys')).status).toBe(200);

    const bMe = await as(await idpB.token({ aud: 'agentd-b' })).get('/v1/me');
    expect(bMe.status).toBe(200);
    expect(bMe.body.tenant.id).toBe(tenantB.id);
  });

  it('serves /v1/responses to the official openai client with a token as its API key', async () => {
    const token = await idpA.token({ aud: 'agentd-a', tenant: 'default' });
    tokens.push(token);
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: token, maxRetries: 0 });
    const response = await client.responses.create({ model: 'scripted', input: 'Hello from an OIDC user.' });
    expect(response.status).toBe('completed');
    expect((await admin.get(`/v1/responses/${response.id}`)).status).toBe(200);

    const expired = new OpenAI({
      baseURL: `${server.url}/v1`,
      apiKey: await idpA.token({
        aud: 'agentd-a',
        tenant: 'default',
        exp: Math.floor(Date.now() / 1000) - 3600,
      }),
      maxRetries: 0,
    });
    const error = await expired.responses.create({ model: 'scripted', input: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('token_expired');
  });

  it('refuses an expired token, a token not valid yet, and one without exp, each by name', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Beyond the 30-second clock skew.
    expectRefused(
      await as(await idpA.token({ aud: 'agentd-a', tenant: 'default', exp: now - 120 })).get('/v1/me'),
      401,
      'token_expired',
    );
    // Within it: accepted.
    expect(
      (await as(await idpA.token({ aud: 'agentd-a', tenant: 'default', exp: now - 5 })).get('/v1/me')).status,
    ).toBe(200);
    expectRefused(
      await as(await idpA.token({ aud: 'agentd-a', tenant: 'default', nbf: now + 600 })).get('/v1/me'),
      401,
      'token_not_yet_valid',
    );
    expectRefused(
      await as(await idpA.token({ aud: 'agentd-a', tenant: 'default', exp: undefined })).get('/v1/me'),
      401,
      'invalid_token',
    );
  });

  it('refuses a wrong audience, an unknown issuer and a token for another tenant', async () => {
    expectRefused(
      await as(await idpA.token({ aud: 'someone-else', tenant: 'default' })).get('/v1/me'),
      401,
      'invalid_audience',
    );
    // B's audience at A's issuer: A's provider does not trust it, and B does not trust A's issuer.
    expectRefused(await as(await idpA.token({ aud: 'agentd-b' })).get('/v1/me'), 401, 'invalid_audience');
    expectRefused(
      await as(await idpA.token({ iss: 'https://unknown.example.com', aud: 'agentd-a' })).get('/v1/me'),
      401,
      'unknown_issuer',
    );
    const other = await as(await idpA.token({ aud: 'agentd-a', tenant: 'tenant-b' })).get('/v1/me');
    expectRefused(other, 401, 'tenant_mismatch');
    expectRefused(await as(await idpA.token({ aud: 'agentd-a' })).get('/v1/me'), 401, 'tenant_mismatch');
  });

  it('refuses alg none, an HS256 token signed with the public key, and a bad signature', async () => {
    const claims = {
      iss: idpA.issuer,
      sub: 'mallory',
      aud: 'agentd-a',
      tenant: 'default',
      roles: ['agentd-admins'],
      exp: Math.floor(Date.now() / 1000) + 300,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const refusedNone = await as(none).get('/v1/me');
    expectRefused(refusedNone, 401, 'alg_not_allowed');
    expect(refusedNone.body.error.message).toContain('RS256, ES256, EdDSA');

    // The classic confusion: the provider's RSA public key (PEM) used as an HMAC secret.
    const jwk = idpA.publicJwk('RS256');
    const pem = await exportSPKI((await importJWK(jwk, 'RS256')) as CryptoKey);
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })}.${b64(claims)}`;
    const hs256 = `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
    expectRefused(await as(hs256).get('/v1/me'), 401, 'alg_not_allowed');

    // Signed by a key the provider never published, under the kid of one it did.
    const forger = await FakeOidcProvider.newKey('RS256');
    const forged = await idpA.token(claims, { key: forger, kid: jwk.kid as string });
    expectRefused(await as(forged).get('/v1/me'), 401, 'invalid_signature');

    // A payload altered after signing.
    const genuine = await idpA.token({ aud: 'agentd-a', tenant: 'default' });
    const [header, , signature] = genuine.split('.');
    expectRefused(await as(`${header}.${b64(claims)}.${signature}`).get('/v1/me'), 401, 'invalid_signature');
  });

  it('limits a token to the agentd scopes it carries', async () => {
    const scoped = as(
      await idpA.token({ aud: 'agentd-a', tenant: 'default', scope: 'openid profile agents:read' }),
    );
    expect((await scoped.get('/v1/agents')).status).toBe(200);
    expect((await scoped.get('/v1/me')).status).toBe(200);
    const refused = await scoped.post('/v1/responses', { model: 'scripted', input: 'hi' });
    expectRefused(refused, 403, 'insufficient_scope');
    expect(refused.body.error.message).toContain('responses:write');
    // Only OIDC scopes: the role's full set.
    const plain = as(await idpA.token({ aud: 'agentd-a', tenant: 'default', scope: 'openid profile' }));
    expect((await plain.post('/v1/responses', { model: 'scripted', input: 'hi' })).status).toBe(200);
  });

  it('exchanges a token for a PASETO session token', async () => {
    const jwt = as(
      await idpA.token({ aud: 'agentd-a', tenant: 'default', sub: 'bob', scope: 'agents:write' }),
    );
    const issued = await jwt.post('/v1/auth/token', { expires_in: 300 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body).toMatchObject({
      object: 'auth.token',
      token_type: 'bearer',
      expires_in: 300,
      scopes: ['agents:write'],
    });
    const session = as(issued.body.token);
    expect((await session.get('/v1/me')).body).toMatchObject({
      subject: 'bob',
      method: 'paseto',
      role: 'member',
    });
    expectRefused(await session.get('/v1/tools'), 403, 'insufficient_scope');
  });

  it('picks up a rotated key on an unknown kid, and refreshes at most once per interval', async () => {
    const before = idpA.jwksRequests;
    const newKid = await idpA.rotate('ES256');
    const rotated = await as(await idpA.token({ aud: 'agentd-a', tenant: 'default' }, { alg: 'ES256' })).get(
      '/v1/me',
    );
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(idpA.jwksRequests).toBe(before + 1);
    expect(newKid).toBeTruthy();
    // Tokens with made-up kids: refused, and no more fetches within the refresh interval.
    for (let i = 0; i < 5; i++) {
      const made = await idpA.token(
        { aud: 'agentd-a', tenant: 'default' },
        { alg: 'ES256', kid: `made-up-${i}` },
      );
      expectRefused(await as(made).get('/v1/me'), 401, 'unknown_key');
    }
    expect(idpA.jwksRequests).toBe(before + 1);
    // The old RS256 key is gone from the provider, but agentd only learns that from the fetched set.
    expectRefused(
      await as(await idpA.token({ aud: 'agentd-a', tenant: 'default' }, { alg: 'ES256', kid: 'x' })).get(
        '/v1/me',
      ),
      401,
      'unknown_key',
    );
  });

  it('never writes a token into the logs', () => {
    expect(tokens.length).toBeGreaterThan(10);
    const logs = server.rawLogs();
    for (const token of tokens) {
      for (const part of token.split('.').filter((p) => p.length > 20)) expect(logs).not.toContain(part);
    }
  });

  it('removes the provider: its tokens stop working', async () => {
    const token = await idpB.token({ aud: 'agentd-b' });
    const b = admin.withKey(tenantB.api_key.value);
    const deleted = await b.delete('/v1/tenant/identity_provider');
    expect(deleted.body).toEqual({ object: 'identity_provider.deleted', deleted: true });
    expectRefused(await as(token).get('/v1/me'), 401, 'unknown_issuer');
    expectRefused(await b.delete('/v1/tenant/identity_provider'), 404, 'identity_provider_not_found');
  });
});

describe('identity providers behind the network policy', () => {
  // The production default: the loopback is blocked.
  const suite = platformProviderSuite({ AGENTD_NET_ALLOW: '' });

  it('refuses an issuer the network policy blocks, naming the policy', async () => {
    const admin = new ApiClient(suite.server.url, suite.server.adminKey);
    const refused = await admin.request('PUT', '/v1/tenant/identity_provider', {
      issuer: suite.idp.issuer,
      audience: 'a',
    });
    expectRefused(refused, 400, 'invalid_issuer');
    expect(refused.body.error.message).toContain('network policy');
    expect(suite.idp.jwksRequests).toBe(0);
  });

  it("fetches the platform provider's keys through the policy too: blocked, a 503 naming it", async () => {
    const token = await suite.idp.token({ aud: 'agentd-platform', agentd_tenant: 'default' });
    const refused = await new ApiClient(suite.server.url, token).get('/v1/me');
    expectRefused(refused, 503, 'identity_provider_unavailable');
    expect(refused.body.error.message).toContain('network policy');
    expect(suite.idp.jwksRequests).toBe(0);
  });
});

describe('a platform-wide identity provider (AGENTD_OIDC_ISSUER)', () => {
  const suite = platformProviderSuite({});

  it('authenticates into the tenant its tenant claim names, by id or name', async () => {
    const admin = new ApiClient(suite.server.url, suite.server.adminKey);
    const acme = await admin.post('/v1/tenants', { name: 'acme' });
    const byName = await admin
      .withKey(await suite.idp.token({ aud: 'agentd-platform', agentd_tenant: 'acme', roles: ['admin'] }))
      .get('/v1/me');
    expect(byName.body).toMatchObject({ tenant: { id: acme.body.id }, method: 'jwt', role: 'admin' });
    const byId = await admin
      .withKey(await suite.idp.token({ aud: 'agentd-platform', agentd_tenant: 'tenant_default' }))
      .get('/v1/me');
    expect(byId.body).toMatchObject({ tenant: { id: 'tenant_default' }, role: 'member' });
    // A platform admin cannot be minted by the provider.
    const notPlatform = await admin
      .withKey(
        await suite.idp.token({ aud: 'agentd-platform', agentd_tenant: 'acme', roles: ['platform_admin'] }),
      )
      .get('/v1/me');
    expect(notPlatform.body.role).toBe('member');
    for (const claims of [{ agentd_tenant: 'nowhere' }, {}]) {
      const refused = await admin
        .withKey(await suite.idp.token({ aud: 'agentd-platform', ...claims }))
        .get('/v1/me');
      expectRefused(refused, 401, 'tenant_mismatch');
    }
  });
});
