import { BACKENDS } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

/** Every operation of the /v1 API, as the OpenAPI document must list it. */
const V1_OPERATIONS: Record<string, string[]> = {
  '/v1/me': ['get'],
  '/v1/tenants': ['post'],
  '/v1/api_keys': ['get', 'post'],
  '/v1/api_keys/{id}': ['delete', 'get'],
  '/v1/agents': ['get', 'post'],
  '/v1/agents/{id}': ['delete', 'get', 'patch'],
  '/v1/agents/{id}/versions': ['get'],
  '/v1/agents/{id}/versions/{version}': ['get'],
  '/v1/conversations': ['get', 'post'],
  '/v1/conversations/{id}': ['delete', 'get', 'post'],
  '/v1/conversations/{id}/items': ['get', 'post'],
  '/v1/conversations/{id}/items/{item_id}': ['delete', 'get'],
  '/v1/responses': ['post'],
  '/v1/responses/{id}': ['delete', 'get'],
  '/v1/responses/{id}/cancel': ['post'],
  '/v1/responses/{id}/input_items': ['get'],
  '/v1/responses/{id}/events': ['get'],
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe.each(BACKENDS)('service routes, request ids and logs on %s', (backend) => {
  const suite = testServerSuite({ backend });
  let anonymous: ApiClient;
  let counter = 0;
  const nextRequestId = () => `test-${backend}-${++counter}-${Date.now()}`;

  /** The access-log lines for one request id. */
  const requestLines = (requestId: string) =>
    suite.server.logs.filter((line) => line.msg === 'request' && line.request_id === requestId);

  beforeAll(async () => {
    anonymous = new ApiClient(suite.server.url);
  });

  it('answers /healthz and /readyz without credentials', async () => {
    for (const client of [anonymous, anonymous.withKey('sk-agentd-not-a-real-key')]) {
      const health = await client.get('/healthz');
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toContain('application/json');
      expect(health.body).toEqual({ status: 'ok' });

      const ready = await client.get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
      expect(ready.body.checks.migrations).toMatch(/^at \d+$/);
    }
  });

  // The /v1 operations that take no credentials: the two steps of a sign-in through an identity provider.
  const PUBLIC_OPERATIONS = ['GET /v1/auth/oidc', 'POST /v1/auth/oidc/token'];

  it('serves an OpenAPI 3.1 document listing every /v1 operation, bearer-secured', async () => {
    const response = await anonymous.get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const doc = response.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'agentd API', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    const documented: Record<string, string[]> = {};
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      if (!path.startsWith('/v1/')) continue;
      documented[path] = Object.keys(item)
        .filter((key) => HTTP_METHODS.includes(key))
        .sort();
    }
    // Every known /v1 operation is documented (new ones may be added).
    for (const [path, methods] of Object.entries(V1_OPERATIONS)) {
      expect(documented[path], path).toBeDefined();
      expect(documented[path], path).toEqual(expect.arrayContaining(methods));
    }

    for (const [path, methods] of Object.entries(documented)) {
      for (const method of methods) {
        const operation = doc.paths[path][method];
        const where = `${method.toUpperCase()} ${path}`;
        if (PUBLIC_OPERATIONS.includes(where)) {
          // A public operation (a sign-in that has no credential yet) asks for none.
          expect(operation.security, where).toBeUndefined();
        } else {
          // Every other /v1 operation requires the bearer key and documents the 401.
          expect(operation.security, where).toEqual([{ bearerAuth: [] }]);
          expect(operation.responses['401'], where).toBeDefined();
        }
        expect(operation.responses['200'], where).toBeDefined();
        // Path parameters are declared.
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const param = name.slice(1, -1);
          expect(
            (operation.parameters ?? []).some(
              (p: { name: string; in: string }) => p.name === param && p.in === 'path',
            ),
            `${where} declares ${param}`,
          ).toBe(true);
        }
        // And the server really routes it: the answer is never "no such route".
        const url = path
          .replace('{id}', 'obj_doesnotexist')
          .replace('{item_id}', 'msg_doesnotexist')
          .replace('{version}', '1');
        const served = await suite.api.request<{ error: { code: string } }>(method.toUpperCase(), url);
        expect(served.status, where).not.toBe(405);
        if (served.status === 404) expect(served.body.error.code, where).not.toBe('route_not_found');
      }
    }

    // The public service routes are documented without security.
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
    expect(doc.paths['/readyz'].get.security).toBeUndefined();
  });

  it('serves the API reference page with its own assets', async () => {
    const page = await fetch(`${suite.server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('/openapi.json');

    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/gi)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<link[^>]*\shref="([^"]+)"/gi)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(styles.length).toBeGreaterThan(0);

    // Nothing on the page points at another host.
    const base = new URL(suite.server.url);
    for (const ref of [...html.matchAll(/\s(?:src|href)="([^"]+)"/gi)].map((m) => m[1]!)) {
      expect(new URL(ref, base).origin, ref).toBe(base.origin);
    }
    expect(html).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);

    for (const [ref, type] of [
      ...scripts.map((ref) => [ref, 'javascript'] as const),
      ...styles.map((ref) => [ref, 'css'] as const),
    ]) {
      const asset = await fetch(new URL(ref, base));
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get('content-type'), ref).toContain(type);
      const body = await asset.text();
      expect(body.length, ref).toBeGreaterThan(1000);
    }

    const missingAsset = await fetch(`${suite.server.url}/docs/assets/package.json`);
    expect(missingAsset.status).toBe(404);
    const traversal = await fetch(`${suite.server.url}/docs/assets/..%2F..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('keeps the API reference page from calling out to another host', async () => {
    const html = await (await fetch(`${suite.server.url}/docs`)).text();
    // The inline script may only talk to this server: Swagger UI's default online
    // validator would make every browser that opens the page (on any host but
    // localhost) load a badge from validator.swagger.io, sending it the spec URL.
    const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1]!);
    expect(inline.length).toBeGreaterThan(0);
    const setup = inline.join('\n');
    expect(setup).toContain('SwaggerUIBundle(');
    expect(setup, 'the online validator must be turned off (validatorUrl: null)').toMatch(
      /validatorUrl\s*:\s*(?:null|['"]none['"])/,
    );
  });

  it('echoes a client request id and generates one otherwise, on errors too', async () => {
    const agent = await suite.api.post('/v1/agents', { name: 'request-id-agent' });
    expect(agent.status).toBe(200);

    const requests: Array<[string, ApiClient, string, string, unknown, number]> = [
      ['success', suite.api, 'GET', `/v1/agents/${agent.body.id}`, undefined, 200],
      ['public route', anonymous, 'GET', '/healthz', undefined, 200],
      ['401 no key', anonymous, 'GET', '/v1/agents', undefined, 401],
      ['401 unknown path', anonymous, 'GET', '/v1/nowhere', undefined, 401],
      ['404 unknown object', suite.api, 'GET', '/v1/agents/agent_nope', undefined, 404],
      ['404 unknown route', suite.api, 'GET', '/v1/nowhere', undefined, 404],
      ['404 outside /v1', anonymous, 'GET', '/nowhere', undefined, 404],
      ['400 bad body', suite.api, 'POST', '/v1/agents', { name: 'has space' }, 400],
      [
        '413 body over the limit',
        suite.api,
        'POST',
        '/v1/agents',
        { name: 'big', instructions: 'x'.repeat(suite.server.config.AGENTD_BODY_LIMIT) },
        413,
      ],
    ];
    const generated = new Set<string>();
    for (const [label, client, method, path, body, status] of requests) {
      const sent = nextRequestId();
      const echoed = await client.request(method, path, body, { headers: { 'x-request-id': sent } });
      expect(echoed.status, label).toBe(status);
      expect(echoed.headers.get('x-request-id'), label).toBe(sent);

      const fresh = await client.request(method, path, body);
      expect(fresh.status, label).toBe(status);
      const id = fresh.headers.get('x-request-id');
      expect(id, label).toMatch(UUID);
      generated.add(id!);
      // The generated id is the one the server logged for that request.
      expect(requestLines(id!), label).toHaveLength(1);
    }
    expect(generated.size).toBe(requests.length);

    // An id that is too long or has odd characters is replaced, not echoed.
    for (const bad of ['x'.repeat(300), 'has spaces in it', 'semi;colon']) {
      const response = await suite.api.get('/v1/me', { headers: { 'x-request-id': bad } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    }
  });

  it('logs one request line per request with its route pattern, tenant, status and duration', async () => {
    const agent = await suite.api.post('/v1/agents', { name: 'log-agent' });
    const conversation = await suite.api.post('/v1/conversations', {
      items: [{ role: 'user', content: 'hi' }],
    });
    const items = await suite.api.get(`/v1/conversations/${conversation.body.id}/items`);
    const itemId = items.body.data[0].id as string;
    const tenant = await suite.api.post('/v1/tenants', { name: 'log-tenant' });
    expect(tenant.status).toBe(200);
    const other = suite.api.withKey(tenant.body.api_key.value);

    const cases: Array<[ApiClient, string, string, unknown, number, string, string | null]> = [
      [suite.api, 'GET', `/v1/agents/${agent.body.id}`, undefined, 200, '/v1/agents/:id', 'tenant_default'],
      [
        suite.api,
        'PATCH',
        `/v1/agents/${agent.body.id}`,
        { description: 'x' },
        200,
        '/v1/agents/:id',
        'tenant_default',
      ],
      [
        suite.api,
        'GET',
        `/v1/agents/${agent.body.id}/versions/1`,
        undefined,
        200,
        '/v1/agents/:id/versions/:version',
        'tenant_default',
      ],
      [suite.api, 'GET', '/v1/agents/agent_missing', undefined, 404, '/v1/agents/:id', 'tenant_default'],
      [suite.api, 'GET', '/v1/agents?limit=1', undefined, 200, '/v1/agents', 'tenant_default'],
      [suite.api, 'POST', '/v1/agents', { name: 'bad name' }, 400, '/v1/agents', 'tenant_default'],
      [
        suite.api,
        'GET',
        `/v1/conversations/${conversation.body.id}/items/${itemId}`,
        undefined,
        200,
        '/v1/conversations/:id/items/:item_id',
        'tenant_default',
      ],
      [other, 'GET', '/v1/me', undefined, 200, '/v1/me', tenant.body.id],
      [other, 'GET', `/v1/agents/${agent.body.id}`, undefined, 404, '/v1/agents/:id', tenant.body.id],
      [anonymous, 'GET', '/v1/agents', undefined, 401, '/v1/agents', null],
      [anonymous, 'GET', '/healthz', undefined, 200, '/healthz', null],
    ];
    for (const [client, method, path, body, status, route, tenantId] of cases) {
      const requestId = nextRequestId();
      const response = await client.request(method, path, body, { headers: { 'x-request-id': requestId } });
      const where = `${method} ${path}`;
      expect(response.status, where).toBe(status);
      const lines = requestLines(requestId);
      expect(lines, where).toHaveLength(1);
      const line = lines[0]!;
      expect(line, where).toMatchObject({ request_id: requestId, tenant: tenantId, method, route, status });
      expect(typeof line.duration_ms, where).toBe('number');
      expect(line.duration_ms as number, where).toBeGreaterThanOrEqual(0);
      expect(line.duration_ms as number, where).toBeLessThan(60_000);
      // The route is the pattern, never the concrete ids or query.
      expect(String(line.route), where).not.toContain('agent_');
      expect(String(line.route), where).not.toContain('?');
    }
  });

  it('never writes a key secret to the log', async () => {
    const created = await suite.api.post('/v1/api_keys', { name: 'logged-key', role: 'admin' });
    expect(created.status).toBe(200);
    const secret = created.body.value as string;
    const key = suite.api.withKey(secret);
    expect((await key.get('/v1/me')).status).toBe(200);
    expect((await key.post('/v1/api_keys', { name: 'child-key' })).status).toBe(200);
    const tenant = await suite.api.post('/v1/tenants', { name: 'secret-tenant' });
    const tenantSecret = tenant.body.api_key.value as string;
    expect((await suite.api.withKey(tenantSecret).get('/v1/me')).status).toBe(200);
    const wrong = 'sk-agentd-wrongwrongwrongwrongwrongwrongwrong00';
    expect((await suite.api.withKey(wrong).get('/v1/me')).status).toBe(401);
    expect(
      (await anonymous.get('/v1/me', { headers: { authorization: `Basic ${suite.server.adminKey}` } }))
        .status,
    ).toBe(401);
    // An internal failure path: a malformed body with the key in it.
    await suite.api.post('/v1/agents', undefined, {
      raw: `{"name": "${suite.server.adminKey}`,
      headers: { 'content-type': 'application/json' },
    });
    expect((await key.delete(`/v1/api_keys/${created.body.id}`)).status).toBe(200);

    const raw = suite.server.rawLogs();
    expect(raw.length).toBeGreaterThan(0);
    expect(suite.server.logs.filter((line) => line.msg === 'request').length).toBeGreaterThan(5);
    for (const value of [suite.server.adminKey, secret, tenantSecret, wrong]) {
      expect(raw.includes(value), `a secret ending in ${value.slice(-4)} is in the log`).toBe(false);
    }
  });
});
