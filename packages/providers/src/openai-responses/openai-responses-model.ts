import type { LanguageModel } from '@agentd/spec';
import { streamingModel } from '../http/stream-turn.js';
import { type OpenAIResponsesModelOptions, resolveOptions } from '../openai-compatible-options.js';
import { createResponsesEventDecoder } from './responses-event-decoder.js';
import { toResponsesRequestBody } from './responses-request-body.js';

/** A model behind the OpenAI Responses API (`POST /responses`), used statelessly. */
export function createOpenAIResponsesModel(options: OpenAIResponsesModelOptions): LanguageModel {
  return streamingModel(
    'openai-responses',
    resolveOptions(options),
    '/responses',
    toResponsesRequestBody,
    createResponsesEventDecoder,
  );
}
