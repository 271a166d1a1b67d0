import type { ModelRequest, ModelStreamPart } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../src/scripted/scripted-model.js';

async function collect(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const textOf = (parts: ModelStreamPart[]) =>
  parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

const ask = (content: string, tools = ['weather', 'lookup']): ModelRequest => ({
  model: 'scripted',
  messages: [{ role: 'user', content }],
  tools: tools.map((name) => ({ name, parameters: { type: 'object' } })),
  settings: {},
});

describe('the scripted model’s "call <tool> {json}"', () => {
  it('calls the named tool with the JSON arguments', async () => {
    const parts = await collect(createScriptedModel().stream(ask('call weather {"city": "Oslo"}')));
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      call: { name: 'weather', arguments: '{"city":"Oslo"}' },
    });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('calls with no arguments as {}', async () => {
    const parts = await collect(createScriptedModel().stream(ask('call lookup')));
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      call: { name: 'lookup', arguments: '{}' },
    });
  });

  it('says so honestly when the arguments are not JSON, and calls nothing', async () => {
    const parts = await collect(createScriptedModel().stream(ask('call weather {city: Oslo}')));
    expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
    expect(textOf(parts)).toMatch(/^I did not call weather: its arguments are not valid JSON \(.+\)\./);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });

    const array = await collect(createScriptedModel().stream(ask('call weather [1]')));
    expect(textOf(array)).toContain('its arguments must be a JSON object');
  });

  it('names the run’s tools when the one called is not among them, or says why it is off', async () => {
    const parts = await collect(createScriptedModel().stream(ask('call forecast {"city": "Oslo"}')));
    expect(textOf(parts)).toBe(
      "I cannot call forecast: there is no tool of that name in this run. This run's tools are: weather, lookup.",
    );
    const off = createScriptedModel([], {
      unavailable: (tool) =>
        tool === 'browser' ? 'it is turned off on this server (AGENTD_BROWSER=off)' : undefined,
    });
    expect(textOf(await collect(off.stream(ask('call browser {}', []))))).toBe(
      'I cannot call browser: it is not available (it is turned off on this server (AGENTD_BROWSER=off)).',
    );
  });

  it('leaves other sentences that start with "call" alone', async () => {
    const parts = await collect(createScriptedModel().stream(ask('call me later please')));
    expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
    expect(textOf(parts)).toContain('You said: "call me later please"');
    // And its help names the run's tools and the command.
    expect(textOf(parts)).toContain(
      'I can call any of this run\'s tools (weather, lookup) by name: "call <tool> {"argument": "value"}".',
    );
  });

  it('does not call when tool_choice is none', async () => {
    const request = { ...ask('call weather {"city": "Oslo"}'), toolChoice: 'none' as const };
    const parts = await collect(createScriptedModel().stream(request));
    expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
  });
});
