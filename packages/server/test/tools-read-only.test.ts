import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityInput } from './support/http-tools.js';

describe.each(BACKENDS)('every listed tool is reachable by its id, on %s', (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let toolDir: string;

  beforeAll(async () => {
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-tooldir-'));
    writeFileSync(
      join(toolDir, 'weather.json'),
      JSON.stringify({
        name: 'weather',
        description: 'The weather',
        input_schema: cityInput,
        adapter: { type: 'http', url: 'http://127.0.0.1:9/weather' },
      }),
    );
    server = await startTestServer({
      backend,
      env: { AGENTD_TOOL_DIR: toolDir, AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
    });
    api = new ApiClient(server.url, server.adminKey);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(toolDir, { recursive: true, force: true });
  });

  it('GET /v1/tools/{id} returns what the list shows, for registered, directory and built-in tools', async () => {
    const registered = await api.post('/v1/tools', {
      name: 'mine',
      input_schema: cityInput,
      adapter: { type: 'http', url: 'http://127.0.0.1:9/mine' },
    });
    expect(registered.status).toBe(200);
    const list = await api.get('/v1/tools?limit=100');
    const ids: string[] = list.body.data.map((tool: { id: string }) => tool.id);
    expect(ids).toEqual(expect.arrayContaining(['dir:weather', 'builtin:fetch_url', registered.body.id]));
    for (const listed of list.body.data) {
      const fetched = await api.get(`/v1/tools/${encodeURIComponent(listed.id)}`);
      expect(fetched.status, listed.id).toBe(200);
      expect(fetched.body).toEqual(listed);
    }
  });

  it('refuses to change or delete a directory tool with a 409 that says where it comes from', async () => {
    for (const attempt of [
      () => api.patch('/v1/tools/dir:weather', { description: 'changed' }),
      () => api.delete('/v1/tools/dir:weather'),
    ]) {
      const refused = await attempt();
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'tool_read_only', param: 'id' });
      expect(refused.body.error.message).toContain('tool directory (AGENTD_TOOL_DIR)');
    }
    expect((await api.get('/v1/tools/dir:weather')).body.manifest.description).toBe('The weather');
  });

  it('refuses to change or delete a built-in tool with a 409 naming its switch', async () => {
    const patched = await api.patch('/v1/tools/builtin:web_search', { description: 'x' });
    expect(patched.status).toBe(409);
    expect(patched.body.error.message).toContain('AGENTD_WEB_SEARCH=off');
    const deleted = await api.delete('/v1/tools/builtin:web_search');
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.message).toContain('built into agentd');
    expect((await api.get('/v1/tools/builtin:web_search')).status).toBe(200);
  });

  it('answers 404 for a directory or built-in id that does not exist or is off', async () => {
    for (const id of ['dir:nothing', 'builtin:code_interpreter', 'builtin:nope']) {
      for (const call of [
        () => api.get(`/v1/tools/${id}`),
        () => api.patch(`/v1/tools/${id}`, { description: 'x' }),
        () => api.delete(`/v1/tools/${id}`),
      ]) {
        const missing = await call();
        expect(missing.status, id).toBe(404);
        expect(missing.body.error.code).toBe('tool_not_found');
      }
    }
  });
});
