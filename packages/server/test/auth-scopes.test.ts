import type { ApiResponse } from '@agentd/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

function expectRefused(response: ApiResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
}

describe('scoped API keys', () => {
  const suite = testServerSuite({ backend: 'pglite' });

  it('creates a key limited to scopes, and refuses it an out-of-scope route with 403', async () => {
    const created = await suite.api.post('/v1/api_keys', {
      name: 'responder',
      role: 'member',
      scopes: ['responses:write', 'agents:read'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.scopes).toEqual(['responses:write', 'agents:read']);
    expect((await suite.api.get(`/v1/api_keys/${created.body.id}`)).body.scopes).toEqual([
      'responses:write',
      'agents:read',
    ]);
    const key = suite.api.withKey(created.body.value);

    const client = new OpenAI({
      baseURL: `${suite.server.url}/v1`,
      apiKey: created.body.value,
      maxRetries: 0,
    });
    const response = await client.responses.create({ model: 'scripted', input: 'in scope' });
    expect(response.status).toBe('completed');
    // responses:write covers reading responses too.
    expect((await key.get(`/v1/responses/${response.id}`)).status).toBe(200);
    expect((await key.get('/v1/agents')).status).toBe(200);
    expect((await key.get('/v1/me')).status).toBe(200);

    const tools = await key.get('/v1/tools');
    expectRefused(tools, 403, 'insufficient_scope');
    expect(tools.body.error.type).toBe('permission_error');
    expect(tools.body.error.message).toContain("'tools:read'");
    expectRefused(await key.post('/v1/agents', { name: 'a', instructions: 'b' }), 403, 'insufficient_scope');
    const viaClient = await client.files.list().catch((error: unknown) => error);
    expect(viaClient).toBeInstanceOf(OpenAI.PermissionDeniedError);

    // An unscoped key of the same role may do all of it.
    const full = await suite.api.post('/v1/api_keys', { name: 'full', role: 'member' });
    expect(full.body.scopes).toBeNull();
    expect((await suite.api.withKey(full.body.value).get('/v1/tools')).status).toBe(200);
  });

  it('lets :admin cover every permission of a resource, and never more than the role', async () => {
    const created = await suite.api.post('/v1/api_keys', {
      name: 'tooling',
      role: 'member',
      scopes: ['tools:admin'],
    });
    const key = suite.api.withKey(created.body.value);
    expect((await key.get('/v1/tools')).status).toBe(200);
    const registered = await key.post('/v1/tools', {
      name: 'scoped_tool',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/tool' },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    // A member key with api_keys:admin still lacks the role's permission.
    const member = await suite.api.post('/v1/api_keys', {
      name: 'm',
      role: 'member',
      scopes: ['api_keys:admin'],
    });
    expectRefused(await suite.api.withKey(member.body.value).get('/v1/api_keys'), 403, 'permission_denied');
  });

  it('refuses an unknown scope by name, and a scoped key minting a wider key', async () => {
    const unknown = await suite.api.post('/v1/api_keys', { name: 'x', scopes: ['agents:fly'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('scopes[0]');
    expect(unknown.body.error.message).toContain("'agents:fly' is not a scope");

    const keyAdmin = await suite.api.post('/v1/api_keys', {
      name: 'key-admin',
      role: 'admin',
      scopes: ['api_keys:admin', 'agents:read'],
    });
    const scoped = suite.api.withKey(keyAdmin.body.value);
    expectRefused(
      await scoped.post('/v1/api_keys', { name: 'wider', scopes: ['tools:write'] }),
      403,
      'scope_too_broad',
    );
    // Without scopes, the new key inherits the creator's, not the role's full set.
    const inherited = await scoped.post('/v1/api_keys', { name: 'inherits' });
    expect(inherited.status).toBe(200);
    expect(inherited.body.scopes).toEqual(['api_keys:admin', 'agents:read']);
    const narrower = await scoped.post('/v1/api_keys', { name: 'narrower', scopes: ['agents:read'] });
    expect(narrower.body.scopes).toEqual(['agents:read']);
  });
});
