import { createScriptedModel } from '@agentd/providers';
import { firstToolCall } from '@agentd/testing';
import { webRules } from '@agentd/tool-web';
import { describe, expect, it } from 'vitest';
import { filesRules } from '../src/index.js';

const toolCallFor = (text: string, tools: string[]) =>
  firstToolCall(createScriptedModel([...filesRules, ...webRules]), text, tools);

const ALL = ['memory_save', 'memory_search', 'file_search', 'web_search'];

describe('filesRules', () => {
  it('sends "remember that <fact>" to memory_save', async () => {
    expect(await toolCallFor('Remember that my favourite colour is green.', ALL)).toEqual({
      name: 'memory_save',
      arguments: { text: 'my favourite colour is green.' },
    });
  });

  it('sends "what do you remember about <topic>" to memory_search', async () => {
    expect(await toolCallFor('what do you remember about my favourite colour?', ALL)).toEqual({
      name: 'memory_search',
      arguments: { query: 'my favourite colour' },
    });
  });

  it('sends "search my files for <query>" to file_search, ahead of the web rule', async () => {
    expect(await toolCallFor('search my files for quarterly revenue', ALL)).toEqual({
      name: 'file_search',
      arguments: { query: 'quarterly revenue' },
    });
    expect(await toolCallFor('search in my files for leave policy', ALL)).toEqual({
      name: 'file_search',
      arguments: { query: 'leave policy' },
    });
  });

  it('applies only when the tool is available, and not to other requests', async () => {
    expect(await toolCallFor('remember that x', ['web_search'])).toBeUndefined();
    expect(await toolCallFor('search my files for revenue', ['web_search'])).toEqual({
      name: 'web_search',
      arguments: { query: 'my files for revenue' },
    });
    expect(await toolCallFor('I remember that day', ALL)).toBeUndefined();
    expect(await toolCallFor('remember that', ALL)).toBeUndefined();
  });

  it('tells a run without memory how memory is turned on, not to name the tool', async () => {
    const model = createScriptedModel([...filesRules]);
    let text = '';
    for await (const part of model.stream({
      model: 'scripted',
      messages: [{ role: 'user', content: 'remember that I like jazz' }],
      tools: [],
      settings: {},
    })) {
      if (part.type === 'text-delta') text += part.delta;
    }
    expect(text).toContain(
      'To do that, enable the memory_save tool: use an agent with "memory": {"enabled": true}',
    );
    expect(text).not.toContain('"tools": ["memory_save"]');
  });
});
