import { BACKENDS } from '@agentd/test-server';
import { describe, expect, it } from 'vitest';
import { testServerSuite } from './support/test-server-suite.js';

describe.each(BACKENDS)('agents API on %s', (backend) => {
  const suite = testServerSuite({ backend });

  it('creates, reads, lists, updates with versions, and deletes an agent', async () => {
    const created = await suite.api.post('/v1/agents', {
      name: 'support-bot',
      instructions: 'Answer politely.',
      model: 'gpt-4o-mini',
      tools: ['web_search', { capability: 'code.exec' }],
      model_settings: { temperature: 0.2, max_output_tokens: 500 },
      metadata: { team: 'cx' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'agent',
      name: 'support-bot',
      version: 1,
      instructions: 'Answer politely.',
      model: 'gpt-4o-mini',
      tools: ['web_search', { capability: 'code.exec' }],
      tool_choice: 'auto',
      max_steps: 10,
      model_settings: { temperature: 0.2, max_output_tokens: 500 },
      metadata: { team: 'cx' },
      safety: null,
      memory: null,
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^agent_/);

    const got = await suite.api.get(`/v1/agents/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const updated = await suite.api.patch(`/v1/agents/${id}`, {
      instructions: 'Answer briefly.',
      max_steps: 4,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 2,
      instructions: 'Answer briefly.',
      max_steps: 4,
      model: 'gpt-4o-mini',
    });

    const v1 = await suite.api.get(`/v1/agents/${id}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      object: 'agent.version',
      id,
      version: 1,
      instructions: 'Answer politely.',
      max_steps: 10,
    });

    const versions = await suite.api.get(`/v1/agents/${id}/versions?order=asc`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const missingVersion = await suite.api.get(`/v1/agents/${id}/versions/9`);
    expect(missingVersion.status).toBe(404);
    expect(missingVersion.body.error.code).toBe('agent_version_not_found');

    const deleted = await suite.api.delete(`/v1/agents/${id}`);
    expect(deleted.body).toEqual({ id, object: 'agent.deleted', deleted: true });
    expect((await suite.api.get(`/v1/agents/${id}`)).status).toBe(404);
    expect((await suite.api.get(`/v1/agents/${id}/versions/1`)).status).toBe(404);
  });

  it('keeps agent names unique per tenant', async () => {
    const first = await suite.api.post('/v1/agents', { name: 'unique-one' });
    expect(first.status).toBe(200);
    const second = await suite.api.post('/v1/agents', { name: 'unique-one' });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'agent_name_taken', param: 'name' });
    const other = await suite.api.post('/v1/agents', { name: 'unique-two' });
    const rename = await suite.api.patch(`/v1/agents/${other.body.id}`, { name: 'unique-one' });
    expect(rename.status).toBe(409);
  });

  it('pages through agents with after, limit and order', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    const ids: string[] = [];
    for (const name of names)
      ids.push((await suite.api.post('/v1/agents', { name, metadata: { set: 'paging' } })).body.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await suite.api.get(`/v1/agents?order=asc&limit=2${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.object).toBe('list');
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((agent: { id: string }) => agent.id));
      if (!page.body.has_more) break;
      after = page.body.last_id;
    }
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    const newestFirst = await suite.api.get('/v1/agents?limit=100');
    const order = newestFirst.body.data
      .map((agent: { id: string }) => agent.id)
      .filter((id: string) => ids.includes(id));
    expect(order).toEqual([...ids].reverse());
  });

  it('rejects bad input with a 4xx naming the field', async () => {
    const cases: Array<[unknown, number, string, string | null]> = [
      [{}, 400, 'missing_required_parameter', 'name'],
      [{ name: 42 }, 400, 'invalid_value', 'name'],
      [{ name: 'has space' }, 400, 'invalid_value', 'name'],
      [{ name: 'ok', colour: 'blue' }, 400, 'unknown_parameter', 'colour'],
      [{ name: 'ok', max_steps: 0 }, 400, 'invalid_value', 'max_steps'],
      [
        { name: 'ok', model_settings: { temperature: 'hot' } },
        400,
        'invalid_value',
        'model_settings.temperature',
      ],
      [{ name: 'ok', tools: [7] }, 400, 'invalid_value', 'tools[0]'],
      [[1, 2], 400, 'invalid_value', null],
    ];
    for (const [body, status, code, param] of cases) {
      const response = await suite.api.post('/v1/agents', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.error.code, JSON.stringify(body)).toBe(code);
      expect(response.body.error.param, JSON.stringify(body)).toBe(param);
      expect(response.body.error.type).toBe('invalid_request_error');
      expect(typeof response.body.error.message).toBe('string');
    }
    const malformed = await suite.api.post('/v1/agents', undefined, {
      raw: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');

    const notJson = await suite.api.post('/v1/agents', undefined, {
      raw: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    expect(notJson.body.error.code).toBe('unsupported_media_type');

    const emptyPatch = await suite.api.patch('/v1/agents/agent_missing', {});
    expect(emptyPatch.status).toBe(400);

    const unknownId = await suite.api.get('/v1/agents/agent_doesnotexist');
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.error).toMatchObject({
      type: 'not_found_error',
      code: 'agent_not_found',
      param: 'id',
    });

    const badLimit = await suite.api.get('/v1/agents?limit=1000');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.param).toBe('limit');
    const badOrder = await suite.api.get('/v1/agents?order=sideways');
    expect(badOrder.status).toBe(400);
    expect(badOrder.body.error.param).toBe('order');
  });

  it('checks an inline function tool’s parameters as JSON Schema, on create and on update', async () => {
    const broken = {
      type: 'function',
      name: 'lookup',
      parameters: { type: 'object', properties: { x: { type: 'text' } } },
    };
    const created = await suite.api.post('/v1/agents', {
      name: 'inline-tools',
      tools: ['web_search', broken],
    });
    expect(created.status).toBe(400);
    expect(created.body.error).toMatchObject({
      code: 'invalid_value',
      param: 'tools[1].parameters.properties.x.type',
    });
    expect(created.body.error.message).toContain('must be a JSON Schema type');

    const fixed = { ...broken, parameters: { type: 'object', properties: { x: { type: 'string' } } } };
    const good = await suite.api.post('/v1/agents', { name: 'inline-tools', tools: [fixed] });
    expect(good.status).toBe(200);
    const updated = await suite.api.patch(`/v1/agents/${good.body.id}`, { tools: [broken] });
    expect(updated.status).toBe(400);
    expect(updated.body.error.param).toBe('tools[0].parameters.properties.x.type');
    const unchanged = await suite.api.get(`/v1/agents/${good.body.id}`);
    expect(unchanged.body).toMatchObject({ version: 1, tools: [fixed] });
  });

  it('answers a body over the limit with 413', async () => {
    const huge = JSON.stringify({
      name: 'big',
      instructions: 'x'.repeat(suite.server.config.AGENTD_BODY_LIMIT + 10),
    });
    const response = await suite.api.post('/v1/agents', undefined, {
      raw: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('body_too_large');
  });
});
