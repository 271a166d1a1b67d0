import { createHash, randomBytes } from 'node:crypto';
import { startTestServer } from '@agentd/test-server';
import { ApiClient, startOidcLoginProvider, suiteFixture } from '@agentd/testing';
import { describe, expect, it } from 'vitest';

const REDIRECT = 'https://agentd.example.com/sign-in';

/** What the browser does: go to the provider with PKCE, state and nonce, and read the code it is sent back with. */
async function authorize(
  provider: { authorization_endpoint: string; client_id: string },
  redirect = REDIRECT,
) {
  const verifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.client_id,
    redirect_uri: redirect,
    scope: 'openid profile',
    state: 'state-1',
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const answer = await fetch(url, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const back = new URL(answer.headers.get('location') ?? '');
  expect(back.searchParams.get('state')).toBe('state-1');
  return { code: back.searchParams.get('code') ?? '', verifier, nonce };
}

describe('signing in through an identity provider (authorization code with PKCE, exchanged by agentd)', () => {
  const suite = suiteFixture(async (closeLater) => {
    const idp = closeLater(
      await startOidcLoginProvider({
        clientId: 'agentd-web',
        redirectUris: [REDIRECT],
        user: { sub: 'alice', roles: ['agentd-admins'] },
      }),
    );
    const server = closeLater(
      await startTestServer({ backend: 'pglite', env: { AGENTD_OIDC_ALLOW_HTTP: 'on' } }),
    );
    const admin = new ApiClient(server.url, server.adminKey);
    const put = await admin.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idp.issuer,
      audience: 'agentd-web',
      role_map: { 'agentd-admins': 'admin' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    return { idp, server, admin, anonymous: admin.withKey(undefined) };
  });

  it("tells anyone where a tenant's people sign in; the same 404 for no provider and no tenant", async () => {
    const found = await suite.anonymous.get('/v1/auth/oidc?tenant=default');
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body).toEqual({
      object: 'auth.oidc_provider',
      issuer: suite.idp.issuer,
      authorization_endpoint: `${suite.idp.issuer}/authorize`,
      client_id: 'agentd-web',
      scope: 'openid profile',
    });
    const created = await suite.admin.post('/v1/tenants', { name: 'no-idp' });
    expect(created.status).toBe(200);
    for (const tenant of ['no-idp', 'no-such-tenant']) {
      const missing = await suite.anonymous.get(`/v1/auth/oidc?tenant=${tenant}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('identity_provider_not_found');
    }
    // No platform-wide provider is configured.
    expect((await suite.anonymous.get('/v1/auth/oidc')).status).toBe(404);
  });

  it('exchanges the code for a session token of the mapped user and role, and audits the sign-in', async () => {
    const provider = (await suite.anonymous.get('/v1/auth/oidc?tenant=default')).body;
    const { code, verifier, nonce } = await authorize(provider);
    const exchanged = await suite.anonymous.post('/v1/auth/oidc/token', {
      tenant: 'default',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      nonce,
    });
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
    expect(exchanged.body).toMatchObject({ object: 'auth.token', token_type: 'bearer', role: 'admin' });
    expect(exchanged.body.token).toMatch(/^v4\.public\./);
    const me = await suite.admin.withKey(exchanged.body.token).get('/v1/me');
    expect(me.body).toMatchObject({ method: 'paseto', role: 'admin', user: 'alice' });
    const logins = await suite.admin.get('/v1/audit_events?event_types[]=login.succeeded&actor_ids[]=alice');
    expect(logins.body.data).toHaveLength(1);
    expect(logins.body.data[0].actor).toMatchObject({
      type: 'session',
      session: { method: 'jwt', user: { id: 'alice' }, role: 'admin' },
    });
    expect(logins.body.data[0]['login.succeeded']).toMatchObject({ token_type: 'paseto', via: 'jwt' });
    // A code works once.
    const again = await suite.anonymous.post('/v1/auth/oidc/token', {
      tenant: 'default',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      nonce,
    });
    expect(again.status).toBe(401);
    expect(again.body.error).toMatchObject({ code: 'authorization_code_refused' });
    expect(again.body.error.message).toContain('invalid_grant');
  });

  it('refuses a wrong PKCE verifier, a nonce not sent, and bad input with 4xx naming the problem', async () => {
    const provider = (await suite.anonymous.get('/v1/auth/oidc?tenant=default')).body;
    const first = await authorize(provider);
    const wrongVerifier = await suite.anonymous.post('/v1/auth/oidc/token', {
      tenant: 'default',
      code: first.code,
      code_verifier: randomBytes(32).toString('base64url'),
      redirect_uri: REDIRECT,
      nonce: first.nonce,
    });
    expect(wrongVerifier.status).toBe(401);
    expect(wrongVerifier.body.error.message).toContain('PKCE');

    const second = await authorize(provider);
    const otherNonce = await suite.anonymous.post('/v1/auth/oidc/token', {
      tenant: 'default',
      code: second.code,
      code_verifier: second.verifier,
      redirect_uri: REDIRECT,
      nonce: randomBytes(16).toString('base64url'),
    });
    expect(otherNonce.status).toBe(401);
    expect(otherNonce.body.error).toMatchObject({ code: 'invalid_token' });
    expect(otherNonce.body.error.message).toContain('nonce');

    const bad = await suite.anonymous.post('/v1/auth/oidc/token', {
      tenant: 'default',
      code: 'x',
      code_verifier: 'short',
      redirect_uri: REDIRECT,
      nonce: 'n'.repeat(16),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('code_verifier');

    // Nothing else under /v1 opens without credentials.
    expect((await suite.anonymous.get('/v1/auth/oidc/token')).status).toBe(401);
    expect((await suite.anonymous.get('/v1/agents')).status).toBe(401);
  });
});
