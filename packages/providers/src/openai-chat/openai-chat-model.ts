import type { LanguageModel } from '@agentd/spec';
import { streamingModel } from '../http/stream-turn.js';
import { type OpenAIChatModelOptions, resolveOptions } from '../openai-compatible-options.js';
import { createChatChunkDecoder } from './chat-chunk-decoder.js';
import { toChatRequestBody } from './chat-request-body.js';

/**
 * A model behind any OpenAI-compatible Chat Completions endpoint: OpenAI,
 * vLLM, Ollama, llama.cpp server, LM Studio.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): LanguageModel {
  return streamingModel(
    'openai-chat',
    resolveOptions(options),
    '/chat/completions',
    toChatRequestBody,
    createChatChunkDecoder,
  );
}
