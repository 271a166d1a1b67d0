import { Agentd, AuthenticationError, type ChatCompletionChunk, NotFoundError } from '@agentd/sdk';
import { type ResponseEvent, readSse } from '@agentd/spec';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy, startSdkServer } from './support.js';

let agentd: AgentdWithFakeModel & { client: Agentd };
beforeAll(async () => {
  agentd = await startSdkServer();
}, 120_000);
afterAll(async () => {
  await agentd?.close();
});
beforeEach(() => agentd.fake.reset());

describe('chat completions and session tokens', () => {
  it('chat.completions.create answers as OpenAI does', async () => {
    agentd.fake.enqueue({ text: 'Mount Fuji is 3776 m tall.' });
    const completion = await agentd.client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'How tall is Mount Fuji?' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Mount Fuji is 3776 m tall.',
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('chat.completions.stream yields the chunks until [DONE]', async () => {
    agentd.fake.enqueue({ chunks: ['Mount ', 'Fuji: ', '3776 m.'] });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of agentd.client.chat.completions.stream({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'How tall is Mount Fuji?' }],
    }))
      chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Mount Fuji: 3776 m.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('identity.createToken gives a session token that works as a key, with the scopes asked', async () => {
    const issued = await agentd.client.identity.createToken({ expires_in: 600, scopes: ['agents:read'] });
    expect(issued).toMatchObject({ object: 'auth.token', token_type: 'bearer', expires_in: 600 });
    expect(issued.scopes).toEqual(['agents:read']);
    const session = new Agentd({ baseURL: agentd.server.url, apiKey: issued.token });
    expect(Array.isArray((await session.agents.list()).data)).toBe(true);
    const me = await session.tenancy.me();
    expect(me).toMatchObject({ method: 'paseto', tenant: { id: issued.tenant_id } });
    const refused = new Agentd({
      baseURL: agentd.server.url,
      apiKey: `${issued.token}x`,
      retry: { maxRetries: 0 },
    });
    await expect(refused.agents.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('identity.provider is a NotFoundError while the tenant has none', async () => {
    await expect(agentd.client.identity.provider()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a stream aborted before its first event', () => {
  let proxy: CuttingProxy;
  beforeAll(async () => {
    proxy = await startCuttingProxy(agentd.server.url);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('cancels its run on the server once the run is known', async () => {
    // The model never answers: the run would go on for ever unless cancelled.
    agentd.fake.enqueue({ hang: true });
    // Records the runs the create's answers name (the test reads a copy of each body).
    const named: string[] = [];
    const client = new Agentd({
      baseURL: proxy.url,
      apiKey: agentd.server.adminKey,
      fetch: async (input, init) => {
        const response = await globalThis.fetch(input, init);
        if (init?.method !== 'POST' || !response.body) return response;
        const [mine, theirs] = response.body.tee();
        void (async () => {
          for await (const message of readSse(theirs)) {
            const event = JSON.parse(message.data) as ResponseEvent;
            if ('response' in event) named.push(event.response.id);
          }
        })().catch(() => undefined);
        return new Response(mine, response);
      },
    });
    // The answer's headers arrive, then nothing: no event, so no run id, when the caller gives up.
    proxy.stallBefore('event: response.created');
    const controller = new AbortController();
    const stream = client.responses.stream({ input: 'a long story' }, { signal: controller.signal });
    const reading = (async () => {
      for await (const _ of stream);
    })();
    while (proxy.cuts === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('the user gave up'));
    await expect(reading).rejects.toThrow('the user gave up');
    expect(stream.responseId).toBeUndefined();

    while (named.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const id = named[0]!;
    let status = '';
    while (status !== 'cancelled') status = (await agentd.client.responses.retrieve(id)).status;
    // One run: the repeat carried the create's idempotency key.
    expect(new Set(named)).toEqual(new Set([id]));
    expect(agentd.fake.requests.length).toBe(1);
  });
});
