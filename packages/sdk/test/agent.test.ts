import { Agent, type Agentd, type AgentEvent, tool } from '@agentd/sdk';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import { type FakeOpenAI, startToolServer } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSdkServer } from './support.js';

describe('Agent and tool() against a real server', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let client: Agentd;

  beforeAll(async () => {
    const started = await startSdkServer();
    ({ client, fake } = started);
    agentd = started;
  });
  afterAll(async () => agentd?.close());
  beforeEach(() => fake.reset());

  const add = () =>
    tool({
      name: 'add',
      description: 'Adds two numbers',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    });

  it('chat returns the answer text, and the next chat continues the thread', async () => {
    fake.enqueue({ text: 'Mount Fuji is 3,776 m tall.' }, { text: 'About 12,388 ft.' });
    const agent = new Agent({ client, instructions: 'Answer briefly.' });
    expect(await agent.chat('How tall is Mount Fuji?')).toBe('Mount Fuji is 3,776 m tall.');
    const first = agent.lastResponseId;
    expect(await agent.chat('In feet?')).toBe('About 12,388 ft.');
    const second = await client.responses.retrieve(agent.lastResponseId as string);
    expect(second.previous_response_id).toBe(first);
    // The model read the instructions and the whole thread.
    const sent = JSON.stringify(fake.requests.at(-1)?.body);
    expect(sent).toContain('Answer briefly.');
    expect(sent).toContain('How tall is Mount Fuji?');
  });

  it('streams typed events: text deltas add up to the answer', async () => {
    fake.enqueue({ text: 'one two three' });
    const agent = new Agent({ client });
    const types: string[] = [];
    let text = '';
    const stream = agent.stream('count');
    for await (const event of stream) {
      types.push(event.type);
      // Narrowed by `type`: `delta` exists only on delta events.
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.model_call.started');
    expect(text).toBe('one two three');
    expect(await stream.text()).toBe('one two three');
  });

  it('runs a client-side tool in this process and continues the run with its output', async () => {
    const calls: unknown[] = [];
    const adder = tool({
      name: 'add',
      description: 'Adds two numbers',
      parameters: z.object({ a: z.number(), b: z.number() }),
      execute: (args) => {
        calls.push(args);
        return { sum: args.a + args.b };
      },
    });
    fake.enqueue(
      { toolCalls: [{ id: 'call_add', name: 'add', arguments: '{"a": 2, "b": 40}' }] },
      { text: 'The sum is 42.' },
    );
    const agent = new Agent({ client, tools: [adder] });
    const events: AgentEvent[] = [];
    const stream = agent.stream('What is 2 + 40?');
    for await (const event of stream) events.push(event);
    expect(await stream.text()).toBe('The sum is 42.');
    expect(calls).toEqual([{ a: 2, b: 40 }]);
    expect(events.filter((e) => e.type === 'client_tool_call.completed')).toEqual([
      expect.objectContaining({ name: 'add', call_id: 'call_add', output: '{"sum":42}', error: null }),
    ]);
    // The model was offered the tool with the zod schema as JSON Schema, then read the output.
    const [first, second] = fake.requests.filter(
      (r) => r.path.endsWith('/chat/completions') || r.path.endsWith('/responses'),
    );
    expect(JSON.stringify(first?.body.tools)).toContain('"required":["a","b"]');
    expect(JSON.stringify(second?.body)).toContain('{\\"sum\\":42}');
  });

  it('answers arguments the schema refuses with the reason, and the model can correct itself', async () => {
    fake.enqueue(
      { toolCalls: [{ id: 'call_bad', name: 'add', arguments: '{"a": "two", "b": 40}' }] },
      { toolCalls: [{ id: 'call_good', name: 'add', arguments: '{"a": 2, "b": 40}' }] },
      { text: '42.' },
    );
    const agent = new Agent({ client, tools: [add()] });
    const outputs: string[] = [];
    for await (const event of agent.stream('2 + 40?'))
      if (event.type === 'client_tool_call.completed') outputs.push(event.output);
    expect(outputs[0]).toMatch(/^Invalid arguments: a: /);
    expect(outputs[1]).toBe('42');
  });

  it('adds client-side tools to a stored agent’s own', async () => {
    await client.agents.create({
      name: 'stored-helper',
      instructions: 'Stored instructions.',
      tools: ['fetch_url'],
    });
    fake.enqueue(
      { toolCalls: [{ id: 'call_s', name: 'add', arguments: '{"a": 3, "b": 4}' }] },
      { text: '7' },
    );
    const agent = new Agent({ client, agent: 'stored-helper', tools: [add()] });
    expect(await agent.chat('3 + 4?')).toBe('7');
    const sent = JSON.stringify(fake.requests[0]?.body);
    expect(sent).toContain('Stored instructions.');
    expect(sent).toContain('"fetch_url"');
    expect(sent).toContain('"add"');
    const missing = new Agent({ client, agent: 'no-such-agent', tools: [add()] });
    await expect(missing.chat('hi')).rejects.toMatchObject({ status: 404, code: 'agent_not_found' });
  });

  it('runs server-side tools on the server beside client-side ones', async () => {
    const upstream = await startToolServer({
      weather: (body: { city: string }) => ({ sky: `clear in ${body.city}` }),
    });
    try {
      await client.tools.create({
        name: 'weather',
        description: 'The weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        adapter: { type: 'http', url: `${upstream.url}/weather` },
      });
      fake.enqueue(
        { toolCalls: [{ id: 'call_weather', name: 'weather', arguments: '{"city": "Bern"}' }] },
        { toolCalls: [{ id: 'call_add', name: 'add', arguments: '{"a": 1, "b": 1}' }] },
        { text: 'Clear, and 2.' },
      );
      const agent = new Agent({ client, tools: [add(), 'weather'] });
      const ran: string[] = [];
      for await (const event of agent.stream('weather in Bern, and 1 + 1?')) {
        if (event.type === 'response.tool_call.completed') ran.push(`server:${event.name}`);
        if (event.type === 'client_tool_call.completed') ran.push(`client:${event.name}`);
      }
      expect(ran).toEqual(['server:weather', 'client:add']);
      expect(upstream.calls.map((call) => call.path)).toEqual(['/weather']);
      expect(agent.lastResponseId).toMatch(/^resp_/);
    } finally {
      await upstream.close();
    }
  });
});
