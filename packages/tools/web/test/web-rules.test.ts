import { createScriptedModel } from '@agentd/providers';
import { firstToolCall } from '@agentd/testing';
import { describe, expect, it } from 'vitest';
import { webRules } from '../src/index.js';

const toolCallFor = (text: string, tools: string[]) =>
  firstToolCall(createScriptedModel([...webRules]), text, tools);

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
