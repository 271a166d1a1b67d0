import type { ModelRequest } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { createChatChunkDecoder } from '../src/openai-chat/chat-chunk-decoder.js';
import { toChatRequestBody } from '../src/openai-chat/chat-request-body.js';
import { createResponsesEventDecoder } from '../src/openai-responses/responses-event-decoder.js';
import { toResponsesRequestBody } from '../src/openai-responses/responses-request-body.js';

const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
const request: ModelRequest = {
  model: 'm',
  messages: [{ role: 'user', content: 'hi' }],
  tools: [],
  settings: { user: 'u1', safetyIdentifier: 'sid', logprobs: true, reasoningEffort: 'low' },
  textFormat: { type: 'json_schema', name: 'out', schema, strict: true },
};
const token = { token: 'Hi', logprob: -0.2, bytes: [72, 105], top_logprobs: [] };

describe('the request fields in the model APIs', () => {
  it('Chat Completions: response_format with the schema under json_schema, user, safety_identifier, logprobs', () => {
    expect(toChatRequestBody(request)).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } },
      user: 'u1',
      safety_identifier: 'sid',
      logprobs: true,
      reasoning_effort: 'low',
    });
    expect(toChatRequestBody({ ...request, textFormat: { type: 'json_object' } }).response_format).toEqual({
      type: 'json_object',
    });
    const plain = toChatRequestBody({ ...request, settings: {}, textFormat: undefined });
    expect(plain.response_format).toBeUndefined();
    expect(plain.logprobs).toBeUndefined();
  });

  it('Responses API: text.format as given, include for logprobs, reasoning, user, safety_identifier', () => {
    expect(toResponsesRequestBody(request)).toMatchObject({
      text: { format: { type: 'json_schema', name: 'out', schema, strict: true } },
      include: ['message.output_text.logprobs'],
      reasoning: { effort: 'low' },
      user: 'u1',
      safety_identifier: 'sid',
    });
    const plain = toResponsesRequestBody({ ...request, settings: {}, textFormat: undefined });
    expect(plain.text).toBeUndefined();
    expect(plain.include).toBeUndefined();
  });

  it('decodes logprobs from a chat chunk and from a Responses delta into the text-delta part', () => {
    const chat = createChatChunkDecoder();
    const chunk = { choices: [{ index: 0, delta: { content: 'Hi' }, logprobs: { content: [token] } }] };
    expect(chat.push({ event: 'message', data: JSON.stringify(chunk) } as never)).toEqual([
      { type: 'text-delta', delta: 'Hi', logprobs: [token] },
    ]);
    const responses = createResponsesEventDecoder();
    const delta = { type: 'response.output_text.delta', delta: 'Hi', logprobs: [token] };
    expect(responses.push({ event: delta.type, data: JSON.stringify(delta) } as never)).toEqual([
      { type: 'text-delta', delta: 'Hi', logprobs: [token] },
    ]);
  });
});
