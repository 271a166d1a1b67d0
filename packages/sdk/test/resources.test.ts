import { type Agentd, NotFoundError, paginate } from '@agentd/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer } from './support.js';

describe('typed resources against a real server', () => {
  let agentd: Awaited<ReturnType<typeof startSdkServer>>;
  let client: Agentd;
  beforeAll(async () => {
    agentd = await startSdkServer();
    ({ client } = agentd);
  });
  afterAll(async () => agentd?.close());

  it('agents: create, list, page, update as a new version, delete', async () => {
    const created = await client.agents.create({ name: 'res-a', instructions: 'one' });
    await client.agents.create({ name: 'res-b' });
    expect(created).toMatchObject({ object: 'agent', name: 'res-a', version: 1 });
    const names: string[] = [];
    for await (const agent of paginate((after) => client.agents.list({ after, limit: 1 })))
      names.push(agent.name);
    expect(names).toEqual(expect.arrayContaining(['res-a', 'res-b']));
    const updated = await client.agents.update(created.id, { instructions: 'two' });
    expect(updated.version).toBe(2);
    expect((await client.agents.version(created.id, 1)).instructions).toBe('one');
    expect((await client.agents.versions(created.id)).data).toHaveLength(2);
    expect((await client.agents.del(created.id)).deleted).toBe(true);
    await expect(client.agents.retrieve(created.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('conversations and their items', async () => {
    const conversation = await client.conversations.create({ metadata: { topic: 'sdk' } });
    await client.conversations.addItems(conversation.id, [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] },
    ]);
    const items = await client.conversations.listItems(conversation.id);
    expect(items.data).toHaveLength(1);
    expect((await client.conversations.retrieve(conversation.id)).metadata).toEqual({ topic: 'sdk' });
    expect((await client.conversations.del(conversation.id)).deleted).toBe(true);
  });

  it('files: upload from text, read back, delete', async () => {
    const file = await client.files.create({
      file: 'some notes',
      filename: 'notes.txt',
      purpose: 'assistants',
    });
    expect(file).toMatchObject({ object: 'file', filename: 'notes.txt', bytes: 10 });
    expect(await (await client.files.content(file.id)).text()).toBe('some notes');
    expect((await client.files.list()).data.map((f) => f.id)).toContain(file.id);
    expect((await client.files.del(file.id)).deleted).toBe(true);
  });

  it('vector stores, api keys, secrets, models, moderations', async () => {
    const store = await client.vectorStores.create({ name: 'docs' });
    expect((await client.vectorStores.retrieve(store.id)).name).toBe('docs');
    expect((await client.vectorStores.del(store.id)).deleted).toBe(true);

    const key = await client.apiKeys.create({ name: 'sdk-key' });
    expect(key.value).toMatch(/./);
    expect((await client.apiKeys.retrieve(key.id)).name).toBe('sdk-key');
    expect((await client.apiKeys.del(key.id)).deleted).toBe(true);

    const secret = await client.secrets.create({ name: 'sdk-secret', value: 'hush' });
    expect(JSON.stringify(await client.secrets.list())).not.toContain('hush');
    expect((await client.secrets.del(secret.id)).deleted).toBe(true);

    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    const moderation = await client.moderations.create({ input: 'a friendly sentence' });
    expect(moderation.results[0]?.flagged).toBe(false);
  });

  it('governance: me, limits, usage, policies, the audit log', async () => {
    expect(await client.tenancy.me()).toMatchObject({ object: expect.any(String) });
    expect(await client.limits.retrieve()).toBeTypeOf('object');
    expect((await client.usage.retrieve()).object).toBe('list');
    expect((await client.policies.list()).object).toBe('list');
    const audit = await client.auditEvents.list({ limit: 5 });
    expect(audit.data.length).toBeGreaterThan(0);
  });
});
