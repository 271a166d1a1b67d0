import type { ModelRequest } from '@agentd/spec';
import { describeLanguageModelContract, describeOpenAICompatibleModelContract } from '@agentd/testing';
import { createOpenAIChatModel, createOpenAIResponsesModel, createScriptedModel } from '../src/index.js';

describeOpenAICompatibleModelContract('openai-chat', createOpenAIChatModel);
describeOpenAICompatibleModelContract('openai-responses', createOpenAIResponsesModel);

describeLanguageModelContract('scripted', () => ({
  model: createScriptedModel(),
  // The scripted model reports a tool result verbatim: that is text the test chooses.
  textTurn: (text) => ({
    request: {
      model: 'scripted',
      messages: [
        { role: 'user', content: 'look it up' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{}' }] },
        { role: 'tool', toolCallId: 'call_1', content: text },
      ],
      tools: [],
      settings: {},
    },
    text: `lookup returned:\n${text}`,
  }),
  toolCallTurn: (name, args): ModelRequest => ({
    model: 'scripted',
    messages: [{ role: 'user', content: `call ${name} ${JSON.stringify(args)}` }],
    tools: [{ name, parameters: { type: 'object', properties: {}, additionalProperties: true } }],
    settings: {},
  }),
}));
