import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';
import { streamTurn } from '../http/stream-turn.js';
import { type OpenAIResponsesModelOptions, resolveOptions } from '../openai-compatible-options.js';
import { createResponsesEventDecoder } from './responses-event-decoder.js';
import { toResponsesRequestBody } from './responses-request-body.js';

/** A model behind the OpenAI Responses API (`POST /responses`), used statelessly. */
export function createOpenAIResponsesModel(options: OpenAIResponsesModelOptions): LanguageModel {
  const resolved = resolveOptions(options);
  return {
    provider: 'openai-responses',
    stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
      return streamTurn(resolved, '/responses', toResponsesRequestBody(request), signal, () =>
        createResponsesEventDecoder(),
      );
    },
  };
}
