import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';
import { streamTurn } from '../http/stream-turn.js';
import { type OpenAIChatModelOptions, resolveOptions } from '../openai-compatible-options.js';
import { createChatChunkDecoder } from './chat-chunk-decoder.js';
import { toChatRequestBody } from './chat-request-body.js';

/**
 * A model behind any OpenAI-compatible Chat Completions endpoint: OpenAI,
 * vLLM, Ollama, llama.cpp server, LM Studio.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): LanguageModel {
  const resolved = resolveOptions(options);
  return {
    provider: 'openai-chat',
    stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelStreamPart> {
      return streamTurn(resolved, '/chat/completions', toChatRequestBody(request), signal, () =>
        createChatChunkDecoder(),
      );
    },
  };
}
