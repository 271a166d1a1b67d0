import { BACKENDS, type TestServer } from '@agentd/test-server';
import { UNTRUSTED_CONTENT_INSTRUCTION } from '@agentd/tool-web';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { toolServerSuite } from './support/tool-server-suite.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The newest response id in the database: the one a chat request made before its client left. */
async function latestResponseId(server: TestServer): Promise<string> {
  const [row] = await server.server.services.db.query<{ id: string }>(
    'SELECT id FROM responses ORDER BY id DESC LIMIT 1',
  );
  return row!.id;
}

const contentOf = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

describe.each(BACKENDS)('POST /v1/chat/completions with a model endpoint on %s', (backend) => {
  const upstream = toolServerSuite({ add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }) });
  const suite = fakeModelSuite(
    { backend, env: { OPENAI_API_KEY: 'sk-fake-upstream', AGENTD_MODEL_MAX_RETRIES: '0' } },
    { maxRetries: 0 },
  );

  beforeAll(async () => {
    const agent = await suite.api.post('/v1/agents', {
      name: 'calculator',
      instructions: 'Add numbers with the add tool.',
      model: 'agent-model',
      tools: [
        {
          type: 'function',
          name: 'add',
          parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
          endpoint: { url: `${upstream.server.url}/add` },
        },
      ],
    });
    expect(agent.status).toBe(200);
  });

  it('answers a plain chat completion, persisted as a response', async () => {
    suite.fake.enqueue({ text: 'Oslo is the capital.', usage: { prompt_tokens: 12, completion_tokens: 5 } });
    const request = {
      model: 'fake-model',
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Capital of Norway?' },
      ],
      temperature: 0.2,
      max_tokens: 40,
      user: 'user-7',
      safety_identifier: 'safety-7',
    };
    const { data, response } = await suite.client.chat.completions.create(request).withResponse();
    expect(data).toMatchObject({
      object: 'chat.completion',
      model: 'fake-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Oslo is the capital.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    });
    const responseId = response.headers.get('x-agentd-response-id');
    expect(data.id).toBe(`chatcmpl-${responseId}`);

    // What the model was sent: the messages as they were, the sampling fields mapped.
    expect(suite.fake.requests).toHaveLength(1);
    expect(suite.fake.requests[0]!.body).toMatchObject(request);
    const stored = await suite.api.get(`/v1/responses/${responseId}`);
    expect(stored.body).toMatchObject({ status: 'completed', model: 'fake-model' });
    expect(stored.body.output[0].content[0].text).toBe('Oslo is the capital.');
  });

  it('streams chunks, then the usage chunk and [DONE] with include_usage', async () => {
    suite.fake.enqueue({
      chunks: ['Once', ' upon', ' a time.'],
      usage: { prompt_tokens: 7, completion_tokens: 3 },
    });
    const raw = await fetch(`${suite.agentd.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${suite.agentd.server.adminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'fake-model',
        messages: [{ role: 'user', content: 'A story.' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    const body = await raw.text();
    const frames = body
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => frame.slice('data: '.length));
    expect(frames.at(-1)).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame) as ChatCompletionChunk);
    const id = `chatcmpl-${raw.headers.get('x-agentd-response-id')}`;
    for (const chunk of chunks) expect(chunk).toMatchObject({ id, object: 'chat.completion.chunk' });
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(contentOf(chunks)).toBe('Once upon a time.');
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();

    // The same through the official client: no usage chunk without include_usage.
    suite.fake.enqueue({ text: 'Hello there.' });
    const stream = await suite.client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const plain = await collect(stream);
    expect(contentOf(plain)).toBe('Hello there.');
    expect(plain.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(plain.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(suite.fake.requests.at(-1)!.body.stream).toBe(true);
  });

  it("runs an agent as a model: its instructions and tools, the tool's progress as text", async () => {
    suite.fake.enqueue(
      { toolCalls: [{ id: 'call_add', name: 'add', arguments: '{"a":2,"b":3}' }] },
      { text: '2 + 3 = 5.' },
    );
    const stream = await suite.client.chat.completions.create({
      model: 'agent:calculator',
      messages: [{ role: 'user', content: 'What is 2 + 3?' }],
      stream: true,
    });
    const chunks = await collect(stream);
    expect(contentOf(chunks)).toBe('*Running add…*\n\n2 + 3 = 5.');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.model).toBe('agent:calculator');
    const [first, second] = suite.fake.requests.map((request) => request.body);
    expect(first.model).toBe('agent-model');
    expect(first.messages[0]).toEqual({
      role: 'system',
      content: `Add numbers with the add tool.\n\n${UNTRUSTED_CONTENT_INSTRUCTION}`,
    });
    expect(first.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(['add']);
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_add' });
    expect(second.messages.at(-1).content).toContain('>>>\n{"sum":5}\n<<<end-untrusted-data');

    // Not streamed: the same text.
    suite.fake.enqueue(
      { toolCalls: [{ id: 'call_add2', name: 'add', arguments: '{"a":1,"b":1}' }] },
      { text: 'Two.' },
    );
    const completion = await suite.client.chat.completions.create({
      model: 'agent:calculator',
      messages: [{ role: 'user', content: '1 + 1?' }],
    });
    expect(completion.choices[0]!.message.content).toBe('*Running add…*\n\nTwo.');
  });

  it('returns client function tools as tool_calls, and continues from the tool messages', async () => {
    suite.fake.enqueue({ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const first = await suite.client.chat.completions.create({
      model: 'agent:calculator',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
    });
    expect(first.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
    });
    // The agent's own tool and the client's, both offered to the model.
    expect(
      suite.fake.requests[0]!.body.tools.map((tool: { function: { name: string } }) => tool.function.name),
    ).toEqual(['add', 'get_weather']);

    suite.fake.enqueue({ text: 'It is 12 degrees in Oslo.' });
    const stream = suite.client.chat.completions.stream({
      model: 'agent:calculator',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_w', content: '{"temperature":12}' },
      ],
      tools: [weatherTool],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('It is 12 degrees in Oslo.');
    expect(suite.fake.requests[1]!.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_w', content: '{"temperature":12}' },
    ]);

    // Streamed, the tool calls arrive as tool_calls deltas that the client's helper assembles.
    suite.fake.enqueue({
      toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{"city":"Bergen"}' }],
    });
    const streamed = await suite.client.chat.completions
      .stream({ model: 'fake-model', messages: [{ role: 'user', content: 'Bergen?' }], tools: [weatherTool] })
      .finalChatCompletion();
    expect(streamed.choices[0]!.finish_reason).toBe('tool_calls');
    expect(streamed.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bergen"}' } },
    ]);
  });

  it('cancels the run when the client closes a streamed completion', async () => {
    suite.fake.enqueue({ chunks: ['Once', ' upon', ' a time'], hangAfterChunks: 3 });
    const controller = new AbortController();
    const { data: stream, response } = await suite.client.chat.completions
      .create(
        { model: 'fake-model', messages: [{ role: 'user', content: 'A long story.' }], stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    const responseId = response.headers.get('x-agentd-response-id')!;
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text.includes('upon')) break;
    }
    expect(suite.fake.requests.at(-1)!.aborted).toBe(false);
    controller.abort();
    await vi.waitFor(() => expect(suite.fake.requests.at(-1)!.aborted).toBe(true), { timeout: 10_000 });
    await vi.waitFor(async () => {
      const stored = await suite.api.get(`/v1/responses/${responseId}`);
      expect(stored.body.status).toBe('cancelled');
    });
  });

  it('cancels the run when the client gives up waiting for a completion that is not streamed', async () => {
    suite.fake.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = fetch(`${suite.agentd.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${suite.agentd.server.adminKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'Think hard.' }] }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(suite.fake.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(suite.fake.requests[0]!.aborted).toBe(true), { timeout: 10_000 });
    const responseId = await latestResponseId(suite.agentd.server);
    await vi.waitFor(async () => {
      const stored = await suite.api.get(`/v1/responses/${responseId}`);
      expect(stored.body.status).toBe('cancelled');
    });
  });

  it('reports a failed run as an error: a 502 body, or an error chunk in a stream', async () => {
    suite.fake.enqueue({ error: { status: 400, body: { error: { message: 'bad things' } } } });
    const failed = await suite.client.chat.completions
      .create({ model: 'fake-model', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failed as InstanceType<typeof OpenAI.APIError>).message).toMatch(/resp_/);

    suite.fake.enqueue({ error: { status: 400, body: { error: { message: 'bad things' } } } });
    const stream = await suite.client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    await expect(collect(stream)).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('refuses bad requests with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ model: 'fake-model' }, 'messages'],
      [{ model: 'fake-model', messages: [] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'fake-model', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'fake-model', messages: [{ role: 'user' }] }, 'messages[0].content'],
      [
        { model: 'fake-model', messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] },
        'messages[0].tool_call_id',
      ],
      [
        {
          model: 'fake-model',
          messages: [
            { role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] },
          ],
        },
        'messages[0].content[0]',
      ],
      [{ model: 'fake-model', messages: [{ role: 'assistant', content: null }] }, 'messages'],
      [{ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
      [{ model: 'fake-model', messages: [{ role: 'user', content: 'x' }], wizardry: true }, 'wizardry'],
      [
        {
          model: 'fake-model',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'function', function: { name: 'bad name!' } }],
        },
        'tools[0].function.name',
      ],
      [{ model: 'agent:nobody', messages: [{ role: 'user', content: 'x' }] }, 'model', 404],
    ];
    for (const [body, param, status = 400] of cases) {
      const response = await suite.api.post('/v1/chat/completions', body);
      expect({ body, status: response.status, param: response.body.error?.param }).toEqual({
        body,
        status,
        param,
      });
    }
    expect(suite.fake.requests).toHaveLength(0);
  });
});
