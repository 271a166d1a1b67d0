import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Output = { type: string; output?: string };

describe('per-tenant network rules', () => {
  let server: TestServer;
  let platform: ApiClient;
  let tenantB: ApiClient;
  let tenantBId: string;
  let site: Server;
  let siteUrl: string;
  const hits: string[] = [];

  beforeAll(async () => {
    site = createServer((req, res) => {
      hits.push(req.url ?? '/');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<html><head><title>Intranet</title></head><body><p>Internal wiki: the canteen opens at noon.</p></body></html>',
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    // The production default: nothing on loopback is allowed server-wide.
    server = await startTestServer({ backend: 'pglite', env: { AGENTD_NET_ALLOW: '' } });
    platform = new ApiClient(server.url, server.adminKey);
    const created = await platform.post('/v1/tenants', { name: 'intranet-team' });
    tenantBId = created.body.id;
    tenantB = platform.withKey(created.body.api_key.value);
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => site.close(() => resolve()));
  });

  const open = (api: ApiClient) =>
    api.post('/v1/responses', { model: 'scripted', input: `open ${siteUrl}/wiki`, tools: ['fetch_url'] });
  const toolOutput = (body: { output: Output[] }) =>
    body.output.find((item) => item.type === 'function_call_output')?.output ?? '';

  it('blocks loopback for every tenant by default, and shows the rules in force', async () => {
    const blocked = await open(tenantB);
    expect(toolOutput(blocked.body)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(hits).toEqual([]);
    const rules = await tenantB.get('/v1/network_policy');
    expect(rules.body).toEqual({
      object: 'network_policy',
      tenant: { allow: [], deny: [] },
      server: { allow: [], deny: [] },
    });
  });

  it('lets a platform admin open an address for one tenant only', async () => {
    const set = await platform.request('PUT', `/v1/tenants/${tenantBId}/network_policy`, {
      allow: ['127.0.0.1'],
      deny: [],
    });
    expect(set.status).toBe(200);
    expect(set.body.tenant).toEqual({ allow: ['127.0.0.1'], deny: [] });

    const allowed = await open(tenantB);
    expect(toolOutput(allowed.body)).toContain('the canteen opens at noon');
    expect(hits).toEqual(['/wiki']);

    // The platform's own tenant is still held to the server-wide rules.
    const other = await open(platform);
    expect(toolOutput(other.body)).toMatch(/loopback address/);
    expect(hits).toEqual(['/wiki']);

    // Tenant B's registered HTTP tools follow its rules too.
    const tool = await tenantB.post('/v1/tools', {
      name: 'wiki',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: `${siteUrl}/tool`, method: 'GET' },
    });
    expect(tool.status).toBe(200);
    const refused = await platform.post('/v1/tools', {
      name: 'wiki',
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: `${siteUrl}/tool`, method: 'GET' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/network policy/);
  });

  it('deny rules close what the tenant had open', async () => {
    await platform.request('PUT', `/v1/tenants/${tenantBId}/network_policy`, {
      allow: ['127.0.0.1'],
      deny: ['127.0.0.1'],
    });
    const denied = await open(tenantB);
    expect(toolOutput(denied.body)).toMatch(/denied|blocked|refused/i);
    expect(hits).toEqual(['/wiki']);
  });

  it('keeps the rules to platform admins, and says what is wrong with a bad one', async () => {
    const own = await tenantB.request('PUT', `/v1/tenants/${tenantBId}/network_policy`, {
      allow: [],
      deny: [],
    });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('permission_denied');
    const bad = await platform.request('PUT', `/v1/tenants/${tenantBId}/network_policy`, {
      allow: ['10.0.0.0/33'],
      deny: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_network_rule', param: 'allow[0]' });
    const missing = await platform.request('PUT', '/v1/tenants/tenant_nope/network_policy', {
      allow: [],
      deny: [],
    });
    expect(missing.status).toBe(404);
  });
});
