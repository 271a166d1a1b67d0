import { createHash } from 'node:crypto';
import { BACKENDS } from '@agentd/test-server';
import { ApiClient, type ApiResponse } from '@agentd/testing';
import { describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

/** An authentication failure as the user sees it: 401 and exactly the error envelope, nothing more. */
function expectUnauthorized(response: ApiResponse, label: string) {
  expect(response.status, label).toBe(401);
  expect(response.headers.get('content-type'), label).toContain('application/json');
  expect(Object.keys(response.body), label).toEqual(['error']);
  expect(response.body.error, label).toEqual({
    type: 'authentication_error',
    code: 'invalid_api_key',
    message: expect.any(String),
    param: null,
  });
  expect(response.body.error.message.length, label).toBeGreaterThan(0);
}

describe.each(BACKENDS)('API keys and tenants on %s', (backend) => {
  const suite = testServerSuite({ backend });

  it('shows a new key secret once, redacted everywhere after', async () => {
    const created = await suite.api.post('/v1/api_keys', { name: 'ci-runner', role: 'member' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_/),
      object: 'api_key',
      name: 'ci-runner',
      role: 'member',
      scopes: null,
      redacted_value: expect.any(String),
      created_at: expect.any(Number),
      last_used_at: null,
      value: expect.stringMatching(/^sk-agentd-/),
    });
    const { id, value, redacted_value } = created.body as {
      id: string;
      value: string;
      redacted_value: string;
    };
    expect(value.length).toBeGreaterThan(40);
    // The redacted form keeps only the start and the last four characters.
    expect(redacted_value).not.toBe(value);
    expect(redacted_value.endsWith(value.slice(-4))).toBe(true);
    expect(redacted_value.length).toBeLessThan(20);
    expect(redacted_value.startsWith('sk-agentd-')).toBe(true);

    const got = await suite.api.get(`/v1/api_keys/${id}`);
    expect(got.status).toBe(200);
    const { value: _secret, ...withoutValue } = created.body;
    expect(got.body).toEqual(withoutValue);
    expect(JSON.stringify(got.body)).not.toContain(value);

    const list = await suite.api.get('/v1/api_keys?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.object).toBe('list');
    const listed = list.body.data.find((key: { id: string }) => key.id === id);
    expect(listed).toMatchObject({ id, name: 'ci-runner', role: 'member', redacted_value });
    expect(listed).not.toHaveProperty('value');
    expect(JSON.stringify(list.body)).not.toContain(value);
    for (const key of list.body.data) expect(key).not.toHaveProperty('value');
    // The bootstrap key is listed too, but its secret is not.
    expect(list.body.data.some((key: { role: string }) => key.role === 'platform_admin')).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(suite.server.adminKey);

    // Role defaults to member.
    const defaulted = await suite.api.post('/v1/api_keys', { name: 'default-role' });
    expect(defaulted.status).toBe(200);
    expect(defaulted.body.role).toBe('member');
    expect(defaulted.body.value).not.toBe(value);
  });

  it('stores only a hash of each key: no secret in any column of api_keys, nor anywhere in the database', async () => {
    const member = await suite.api.post('/v1/api_keys', { name: 'hash-member', role: 'member' });
    const tenantAdmin = await suite.api.post('/v1/api_keys', { name: 'hash-admin', role: 'admin' });
    const tenant = await suite.api.post('/v1/tenants', { name: 'hash-tenant' });
    const secrets = [
      suite.server.adminKey,
      member.body.value as string,
      tenantAdmin.body.value as string,
      tenant.body.api_key.value as string,
    ];
    // Each secret works, so the row that holds it is the one that authenticates it.
    for (const secret of secrets) expect((await suite.api.withKey(secret).get('/v1/me')).status).toBe(200);

    const { db } = suite.server.server.services;
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM api_keys');
    const byId = new Map(rows.map((row) => [String(row.id), row]));
    for (const [id, secret] of [
      [member.body.id, secrets[1]],
      [tenantAdmin.body.id, secrets[2]],
      [tenant.body.api_key.id, secrets[3]],
    ] as const) {
      const row = byId.get(id);
      expect(row, id).toBeDefined();
      expect(row!.key_hash).toBe(createHash('sha256').update(secret!).digest('hex'));
    }
    expect(rows.some((row) => row.bootstrap === true)).toBe(true);
    for (const secret of secrets) {
      // The secret, its random part, and its common encodings appear in no column.
      const body = secret.replace(/^sk-agentd-/, '');
      const forms = [
        secret,
        body,
        Buffer.from(secret).toString('hex'),
        Buffer.from(secret).toString('base64'),
      ];
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const text = value instanceof Date ? value.toISOString() : JSON.stringify(value);
          for (const form of forms) expect(text, `api_keys.${column}`).not.toContain(form);
        }
      }
    }

    // Nor does any other table hold one.
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((table) => table.table_name)).toContain('api_keys');
    for (const { table_name } of tables) {
      const dump = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      const text = dump.map((row) => row.row).join('\n');
      for (const secret of secrets) expect(text, table_name).not.toContain(secret);
    }
  });

  it('authenticates with a new key, and revokes it', async () => {
    const created = await suite.api.post('/v1/api_keys', { name: 'temporary', role: 'admin' });
    expect(created.status).toBe(200);
    const key = suite.api.withKey(created.body.value);

    const me = await key.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      object: 'principal',
      tenant: {
        id: 'tenant_default',
        object: 'tenant',
        name: 'default',
        metadata: {},
        created_at: expect.any(Number),
      },
      subject: created.body.id,
      method: 'api_key',
      role: 'admin',
      user: null,
      groups: null,
      scopes: null,
    });

    // It works on the rest of the API too, in the same tenant as the admin.
    const agent = await key.post('/v1/agents', { name: 'made-by-temporary' });
    expect(agent.status).toBe(200);
    expect((await suite.api.get(`/v1/agents/${agent.body.id}`)).status).toBe(200);

    // The key's use is recorded (asynchronously, so poll for it).
    await expect
      .poll(async () => (await suite.api.get(`/v1/api_keys/${created.body.id}`)).body.last_used_at)
      .toEqual(expect.any(Number));

    const revoked = await suite.api.delete(`/v1/api_keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id: created.body.id, object: 'api_key.deleted', deleted: true });

    expectUnauthorized(await key.get('/v1/me'), 'revoked key on /v1/me');
    expectUnauthorized(await key.get('/v1/agents'), 'revoked key on /v1/agents');
    const gone = await suite.api.get(`/v1/api_keys/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({
      type: 'not_found_error',
      code: 'api_key_not_found',
      param: 'id',
    });
    const deleteAgain = await suite.api.delete(`/v1/api_keys/${created.body.id}`);
    expect(deleteAgain.status).toBe(404);
    const list = await suite.api.get('/v1/api_keys?limit=100');
    expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
  });

  it('keeps key management and tenant creation from member keys', async () => {
    const memberKey = await suite.api.post('/v1/api_keys', { name: 'member', role: 'member' });
    const member = suite.api.withKey(memberKey.body.value);
    expect((await member.get('/v1/me')).body.role).toBe('member');

    const denied = [
      ['POST /v1/api_keys', await member.post('/v1/api_keys', { name: 'escalate', role: 'member' })],
      ['GET /v1/api_keys', await member.get('/v1/api_keys')],
      ['GET /v1/api_keys/{id}', await member.get(`/v1/api_keys/${memberKey.body.id}`)],
      ['DELETE /v1/api_keys/{id}', await member.delete(`/v1/api_keys/${memberKey.body.id}`)],
      ['POST /v1/tenants', await member.post('/v1/tenants', { name: 'member-tenant' })],
    ] as const;
    for (const [label, response] of denied) {
      expect(response.status, label).toBe(403);
      expect(response.body, label).toEqual({
        error: {
          type: 'permission_error',
          code: 'permission_denied',
          message: expect.any(String),
          param: null,
        },
      });
    }
    // The member key still exists (its own DELETE was refused) and still works.
    expect((await suite.api.get(`/v1/api_keys/${memberKey.body.id}`)).status).toBe(200);
    expect((await member.get('/v1/agents')).status).toBe(200);
  });

  it('stops an admin key from escalating or creating tenants', async () => {
    const adminKey = await suite.api.post('/v1/api_keys', { name: 'tenant-admin', role: 'admin' });
    const tenantAdmin = suite.api.withKey(adminKey.body.value);

    const escalate = await tenantAdmin.post('/v1/api_keys', { name: 'root', role: 'platform_admin' });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error).toMatchObject({ type: 'permission_error', param: 'role' });
    expect(escalate.body).not.toHaveProperty('value');
    const keys = await suite.api.get('/v1/api_keys?limit=100');
    expect(keys.body.data.map((k: { name: string }) => k.name)).not.toContain('root');

    const sameRank = await tenantAdmin.post('/v1/api_keys', { name: 'second-admin', role: 'admin' });
    expect(sameRank.status).toBe(200);
    expect(sameRank.body.role).toBe('admin');
    const lower = await tenantAdmin.post('/v1/api_keys', { name: 'helper', role: 'member' });
    expect(lower.status).toBe(200);

    const tenant = await tenantAdmin.post('/v1/tenants', { name: 'admins-tenant' });
    expect(tenant.status).toBe(403);
    expect(tenant.body.error).toMatchObject({ type: 'permission_error', code: 'permission_denied' });

    const bootstrap = (await suite.api.get('/v1/me')).body.subject as string;
    const revokeRoot = await tenantAdmin.delete(`/v1/api_keys/${bootstrap}`);
    expect(revokeRoot.status).toBe(403);
    expect(revokeRoot.body.error).toMatchObject({ type: 'permission_error', code: 'role_too_high' });
    expect((await suite.api.get('/v1/me')).status).toBe(200);
    const revokePeer = await tenantAdmin.delete(`/v1/api_keys/${sameRank.body.id}`);
    expect(revokePeer.status).toBe(200);

    const badRole = await suite.api.post('/v1/api_keys', { name: 'x', role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toMatchObject({ code: 'invalid_value', param: 'role' });
    const noName = await suite.api.post('/v1/api_keys', { role: 'member' });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({ code: 'missing_required_parameter', param: 'name' });
  });

  it('lets the platform admin create a tenant with its own admin key', async () => {
    const created = await suite.api.post('/v1/tenants', { name: 'acme', metadata: { plan: 'pro' } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^tenant_/),
      object: 'tenant',
      name: 'acme',
      metadata: { plan: 'pro' },
      created_at: expect.any(Number),
      api_key: {
        id: expect.stringMatching(/^key_/),
        object: 'api_key',
        name: 'admin',
        role: 'admin',
        scopes: null,
        redacted_value: expect.any(String),
        created_at: expect.any(Number),
        last_used_at: null,
        value: expect.stringMatching(/^sk-agentd-/),
      },
    });
    expect(created.body.id).not.toBe('tenant_default');

    const acme = suite.api.withKey(created.body.api_key.value);
    const me = await acme.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      object: 'principal',
      tenant: {
        id: created.body.id,
        object: 'tenant',
        name: 'acme',
        metadata: { plan: 'pro' },
        created_at: created.body.created_at,
      },
      subject: created.body.api_key.id,
      method: 'api_key',
      role: 'admin',
      user: null,
      groups: null,
      scopes: null,
    });

    // The new tenant's admin manages its own keys, and sees only them.
    const keys = await acme.get('/v1/api_keys');
    expect(keys.status).toBe(200);
    expect(keys.body.data.map((k: { id: string }) => k.id)).toEqual([created.body.api_key.id]);
    const memberOfAcme = await acme.post('/v1/api_keys', { name: 'acme-member' });
    expect(memberOfAcme.status).toBe(200);
    const acmeMember = await suite.api.withKey(memberOfAcme.body.value).get('/v1/me');
    expect(acmeMember.body.tenant.id).toBe(created.body.id);
    // The default tenant's admin does not see them.
    const defaultKeys = await suite.api.get('/v1/api_keys?limit=100');
    expect(defaultKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(memberOfAcme.body.id);
    expect(defaultKeys.body.data.map((k: { id: string }) => k.id)).not.toContain(created.body.api_key.id);
    // Nor can it create tenants.
    expect((await acme.post('/v1/tenants', { name: 'acme-sub' })).status).toBe(403);

    const duplicate = await suite.api.post('/v1/tenants', { name: 'acme' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({
      type: 'conflict_error',
      code: 'tenant_exists',
      param: 'name',
    });
    expect(duplicate.body).not.toHaveProperty('api_key');
    const defaultName = await suite.api.post('/v1/tenants', { name: 'default' });
    expect(defaultName.status).toBe(409);

    const badName = await suite.api.post('/v1/tenants', { name: 'Not Valid!' });
    expect(badName.status).toBe(400);
    expect(badName.body.error).toMatchObject({ code: 'invalid_value', param: 'name' });
  });

  it('answers missing or bad credentials with a bare 401, on every /v1 path', async () => {
    const anonymous = new ApiClient(suite.server.url);
    const agent = await suite.api.post('/v1/agents', { name: 'secret-agent', instructions: 'classified' });
    expect(agent.status).toBe(200);
    const credentials: Array<[string, Record<string, string>]> = [
      ['no Authorization header', {}],
      [
        'Basic scheme',
        { authorization: `Basic ${Buffer.from(`user:${suite.server.adminKey}`).toString('base64')}` },
      ],
      ['Basic scheme with the key', { authorization: `Basic ${suite.server.adminKey}` }],
      ['bearer without a token', { authorization: 'Bearer' }],
      ['bearer with an empty token', { authorization: 'Bearer ' }],
      ['bearer with two tokens', { authorization: `Bearer ${suite.server.adminKey} extra` }],
      ['token without a scheme', { authorization: suite.server.adminKey }],
      ['unknown key', { authorization: 'Bearer sk-agentd-thisisnotakeythatexists0000000000000000000' }],
      [
        'admin key with a changed last character',
        { authorization: `Bearer ${suite.server.adminKey.slice(0, -1)}x` },
      ],
    ];
    const targets: Array<[string, string, unknown?]> = [
      ['GET', '/v1/me'],
      ['GET', '/v1/agents'],
      ['GET', `/v1/agents/${agent.body.id}`],
      ['POST', '/v1/agents', { name: 'sneaky' }],
      ['POST', '/v1/api_keys', { name: 'sneaky' }],
      ['POST', '/v1/tenants', { name: 'sneaky' }],
      ['GET', '/v1/no-such-route'],
      ['DELETE', '/v1/nothing/here/at/all'],
    ];
    for (const [label, headers] of credentials) {
      for (const [method, path, body] of targets) {
        const response = await anonymous.request(method, path, body, { headers });
        expectUnauthorized(response, `${label}: ${method} ${path}`);
        const text = JSON.stringify(response.body);
        expect(text).not.toContain(agent.body.id);
        expect(text).not.toContain('classified');
        expect(text).not.toContain(suite.server.adminKey);
      }
    }
    // Nothing was created by the refused requests.
    const agents = await suite.api.get('/v1/agents?limit=100');
    expect(agents.body.data.map((a: { name: string }) => a.name)).not.toContain('sneaky');
    const keys = await suite.api.get('/v1/api_keys?limit=100');
    expect(keys.body.data.map((k: { name: string }) => k.name)).not.toContain('sneaky');

    // With valid credentials an unknown /v1 path is a 404, so the 401 above was about the credentials.
    const unknownRoute = await suite.api.get('/v1/no-such-route');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error).toMatchObject({ type: 'not_found_error', code: 'route_not_found' });
    // The scheme is case-insensitive, as RFC 7235 says.
    expect(
      (await anonymous.get('/v1/me', { headers: { authorization: `bearer ${suite.server.adminKey}` } }))
        .status,
    ).toBe(200);
  });
});
