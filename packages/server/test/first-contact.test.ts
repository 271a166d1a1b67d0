import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A stand-in for the web UI's build (apps/web/dist): its page and one hashed asset. */
function fakeWebBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentd-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>agentd</title><script type="module" src="/assets/index-Ab12.js"></script><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
  return dir;
}

// What a new user meets first: the front page, wrong methods, and errors that name the field.
describe.each(BACKENDS)('first contact (%s)', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  const webDir = fakeWebBuild();

  beforeAll(async () => {
    server = await startTestServer({ backend, env: { AGENTD_WEB_DIR: webDir } });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves the web UI at /, and the API reference at /docs', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<div id="root"></div>');
    const docs = await fetch(`${server.url}/docs`);
    expect(await docs.text()).toContain('swagger-ui');
    // A client route is the app; an unknown API path keeps its JSON 404.
    expect(await (await fetch(`${server.url}/c/conv_1`)).text()).toContain('<div id="root"></div>');
    const missing = await api.get('/v1/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'route_not_found' });
  });

  it('answers a known path with a wrong method with 405 and Allow', async () => {
    const put = await api.request('PUT', '/v1/agents', { name: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(put.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      message: 'PUT is not allowed on /v1/agents; it accepts GET, HEAD, POST.',
    });
    const created = await api.post('/v1/agents', { name: `first-${backend}` });
    const onId = await api.request('PUT', `/v1/agents/${created.body.id}`, {});
    expect(onId.status).toBe(405);
    expect(onId.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
  });

  it('says what to do instead of a remote MCP tool or an OpenAI field agentd does not take', async () => {
    const mcp = await api.post('/v1/responses', {
      input: 'hi',
      tools: [{ type: 'mcp', server_label: 'docs', server_url: 'https://mcp.example/sse' }],
    });
    expect(mcp.status).toBe(400);
    expect(mcp.body.error).toMatchObject({ code: 'unsupported_tool', param: 'tools[0]' });
    expect(mcp.body.error.message).toContain('POST /v1/tools');
    const tier = await api.post('/v1/responses', { input: 'hi', service_tier: 'auto' });
    expect(tier.status).toBe(400);
    expect(tier.body.error).toMatchObject({ code: 'unknown_parameter', param: 'service_tier' });
    const embeddings = await api.post('/v1/embeddings', { input: 'x', model: 'm' });
    expect(embeddings.status).toBe(404);
    expect(embeddings.body.error.code).toBe('route_not_found');
  });

  it('keeps an unknown path a 404', async () => {
    const response = await api.request('PUT', '/v1/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.headers.get('allow')).toBeNull();
    expect(response.body.error.code).toBe('route_not_found');
  });

  it('names the sub-field of a union that failed, not "Invalid input"', async () => {
    const badTool = await api.post('/v1/agents', {
      name: `union-${backend}`,
      tools: [{ capability: 5 }],
    });
    expect(badTool.status).toBe(400);
    expect(badTool.body.error.param).toBe('tools[0].capability');
    expect(badTool.body.error.message).toBe(
      "Invalid value for 'tools[0].capability': expected string, received number.",
    );

    const badContent = await api.post('/v1/responses', { input: [{ role: 'user', content: 5 }] });
    expect(badContent.status).toBe(400);
    expect(badContent.body.error.param).toMatch(/^input\[0\]\.content/);
    expect(badContent.body.error.message).not.toContain('Invalid input');

    const badKind = await api.post('/v1/responses', { input: 5 });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error).toMatchObject({ param: 'input' });
    expect(badKind.body.error.message).toBe("Invalid value for 'input': expected string or array.");
  });

  it('names the field of an inline or built-in tool that is wrong', async () => {
    const badName = await api.post('/v1/responses', {
      input: 'hi',
      tools: ['code_interpreter', { type: 'function', name: 'no spaces allowed' }],
    });
    expect(badName.status).toBe(400);
    expect(badName.body.error).toMatchObject({
      code: 'invalid_value',
      param: 'tools[1].name',
      message: 'Invalid value for \'tools[1].name\': a tool name is 1 to 64 letters, digits, "_" or "-".',
    });
    const noName = await api.post('/v1/responses', { input: 'hi', tools: [{ type: 'function' }] });
    expect(noName.body.error).toMatchObject({
      code: 'missing_required_parameter',
      param: 'tools[0].name',
      message: "Missing required parameter: 'tools[0].name'.",
    });
    const noStores = await api.post('/v1/responses', { input: 'hi', tools: [{ type: 'file_search' }] });
    expect(noStores.status).toBe(400);
    expect(noStores.body.error).toMatchObject({
      code: 'missing_required_parameter',
      param: 'tools[0].vector_store_ids',
    });
  });

  it('checks an inline function tool’s parameters as JSON Schema, naming the place', async () => {
    const response = await api.post('/v1/responses', {
      input: 'hi',
      tools: [
        {
          type: 'function',
          name: 'lookup',
          parameters: { type: 'object', properties: { x: { type: 'text' } } },
        },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid_value',
      param: 'tools[0].parameters.properties.x.type',
    });
    expect(response.body.error.message).toContain(
      "Invalid value for 'tools[0].parameters.properties.x.type': must be a JSON Schema type",
    );

    const required = await api.post('/v1/responses', {
      input: 'hi',
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', required: 'x' } }],
    });
    expect(required.status).toBe(400);
    expect(required.body.error.param).toBe('tools[0].parameters.required');
    expect(required.body.error.message).toContain('must be array');

    // An agent's inline tools are held to the same check when it is stored.
    const agent = await api.post('/v1/agents', {
      name: `schema-${backend}`,
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { x: 5 } } }],
    });
    expect(agent.status).toBe(400);
    expect(agent.body.error.param).toBe('tools[0].parameters.properties.x');

    const fine = await api.post('/v1/responses', {
      input: 'hi',
      tools: [
        {
          type: 'function',
          name: 'lookup',
          parameters: { type: 'object', properties: { x: { type: ['string', 'null'] } } },
        },
      ],
    });
    expect(fine.status).toBe(200);
  });

  it('says how to allow an address the network policy refuses', async () => {
    const hint =
      "AGENTD_NET_ALLOW or the tenant's network policy can allow it: see README.md#network-policy-for-tools";
    const registered = await api.post('/v1/tools', {
      name: `meta_${backend}`,
      input_schema: { type: 'object' },
      adapter: { type: 'http', url: 'http://169.254.169.254/latest' },
    });
    expect(registered.status).toBe(400);
    expect(registered.body.error.message).toContain(hint);

    const called = await api.post('/v1/responses', {
      input: 'call fetch_url {"url": "http://169.254.169.254/latest"}',
      tools: ['fetch_url'],
    });
    const output = called.body.output.find((item: { type: string }) => item.type === 'function_call_output');
    expect(output.output).toContain('169.254.169.254 is a link-local (cloud metadata) address');
    expect(output.output).toContain(hint);
  });

  // A cursor is a position, not a lookup: a client paging while another deletes keeps its place.
  it('keeps paging after a cursor whose object was deleted', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((await api.post('/v1/agents', { name: `cursor-${backend}-${n}` })).body.id);
    expect((await api.delete(`/v1/agents/${ids[1]}`)).status).toBe(200);
    const page = await api.get(`/v1/agents?order=asc&limit=100&after=${ids[1]}`);
    expect(page.status).toBe(200);
    expect(page.body.data.map((agent: { id: string }) => agent.id)).toContain(ids[2]);
    expect(page.body.data.map((agent: { id: string }) => agent.id)).not.toContain(ids[0]);
  });
});
