import { createScriptedModel, type ScriptedRule } from '@agentd/providers';
import type { ModelStreamPart } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { webRules } from '../src/index.js';

async function toolCallFor(
  text: string,
  tools: string[],
): Promise<{ name: string; arguments: unknown } | undefined> {
  const rules: readonly ScriptedRule[] = webRules;
  const model = createScriptedModel([...rules]);
  const parts: ModelStreamPart[] = [];
  for await (const part of model.stream({
    model: 'scripted',
    messages: [{ role: 'user', content: text }],
    tools: tools.map((name) => ({ name, parameters: { type: 'object' } })),
    settings: {},
  })) {
    parts.push(part);
  }
  const call = parts.find((part) => part.type === 'tool-call');
  return call?.type === 'tool-call'
    ? { name: call.call.name, arguments: JSON.parse(call.call.arguments) }
    : undefined;
}

describe('webRules', () => {
  it('sends "open <url>" to the browser when it is available', async () => {
    expect(await toolCallFor('open https://example.com/a', ['fetch_url', 'browser'])).toEqual({
      name: 'browser',
      arguments: { action: 'open', url: 'https://example.com/a' },
    });
  });

  it('sends "open <url>" to fetch_url without the browser, adding https:// to a bare host', async () => {
    expect(await toolCallFor('open example.com/a', ['fetch_url'])).toEqual({
      name: 'fetch_url',
      arguments: { url: 'https://example.com/a' },
    });
  });

  it('sends "search <query>" to web_search', async () => {
    expect(await toolCallFor('search raft consensus paper', ['web_search'])).toEqual({
      name: 'web_search',
      arguments: { query: 'raft consensus paper' },
    });
  });

  it('does not match other text, or when the tool is missing', async () => {
    expect(
      webRules.every((rule) => rule.match('please open the door and search the house') === undefined),
    ).toBe(true);
    expect(await toolCallFor('search something', ['browser'])).toBeUndefined();
  });
});
