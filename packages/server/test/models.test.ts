import {
  type Agentd,
  type AgentdWithFakeModel,
  BACKENDS,
  openaiOptions,
  startAgentd,
  startAgentdWithFakeModel,
} from '@agentd/test-server';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(BACKENDS)('GET /v1/models on %s', (backend) => {
  let scripted: Agentd;
  let remote: AgentdWithFakeModel;
  let client: OpenAI;
  let tenantB: OpenAI;

  beforeAll(async () => {
    [scripted, remote] = await Promise.all([
      startAgentd({ backend }),
      startAgentdWithFakeModel({ backend, env: { OPENAI_API_KEY: undefined } }),
    ]);
    const api = scripted.api;
    expect((await api.post('/v1/agents', { name: 'helper', instructions: 'Help.' })).status).toBe(200);
    expect((await api.post('/v1/agents', { name: 'coder', tools: ['code_interpreter'] })).status).toBe(200);
    const b = await api.post('/v1/tenants', { name: 'tenant-b' });
    expect(b.status).toBe(200);
    await api.withKey(b.body.api_key.value).post('/v1/agents', { name: 'b-only' });
    client = new OpenAI(openaiOptions(scripted));
    tenantB = new OpenAI({ baseURL: scripted.baseURL, apiKey: b.body.api_key.value });
  });
  afterAll(async () => {
    await scripted?.close();
    await remote?.close();
  });

  it('lists the scripted model and every agent of the tenant, in OpenAI shape', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => model.id)).toEqual(['scripted', 'agent:helper', 'agent:coder']);
    for (const model of models) {
      expect(Object.keys(model).sort()).toEqual(['created', 'id', 'object', 'owned_by']);
      expect(model.object).toBe('model');
      expect(Number.isInteger(model.created)).toBe(true);
    }
    const raw = await scripted.api.get('/v1/models');
    expect(raw.body.object).toBe('list');
  });

  it('retrieves a model and an agent by id; an unknown one is model_not_found', async () => {
    expect(await client.models.retrieve('agent:helper')).toMatchObject({
      id: 'agent:helper',
      object: 'model',
    });
    expect(await client.models.retrieve('scripted')).toMatchObject({ id: 'scripted', owned_by: 'agentd' });
    const missing = await client.models.retrieve('agent:nobody').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      code: 'model_not_found',
      param: 'model',
    });
    await expect(client.models.retrieve('gpt-nothing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('declares the models and chat completion routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${scripted.server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/v1/models']!)).toContain('get');
    expect(Object.keys(doc.paths['/v1/models/{id}']!)).toContain('get');
    expect(Object.keys(doc.paths['/v1/chat/completions']!)).toContain('post');
  });

  it("keeps tenants apart: B lists its own agents, never A's", async () => {
    const models = [];
    for await (const model of tenantB.models.list()) models.push(model.id);
    expect(models).toEqual(['scripted', 'agent:b-only']);
    await expect(tenantB.models.retrieve('agent:helper')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const chat = await tenantB.chat.completions
      .create({ model: 'agent:helper', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(chat).toBeInstanceOf(OpenAI.NotFoundError);
    expect((chat as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      code: 'model_not_found',
      param: 'model',
    });
  });

  it("with an endpoint, lists the default model and the agents' models instead of the stand-in", async () => {
    const api = remote.api;
    expect((await api.post('/v1/agents', { name: 'big', model: 'big-model' })).status).toBe(200);
    expect((await api.post('/v1/agents', { name: 'plain' })).status).toBe(200);
    const remoteClient = new OpenAI(openaiOptions(remote));
    const models = [];
    for await (const model of remoteClient.models.list()) models.push(model.id);
    expect(models).toEqual(['fake-model', 'big-model', 'agent:big', 'agent:plain']);
    await expect(remoteClient.models.retrieve('scripted')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
