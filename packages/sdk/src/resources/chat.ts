import { AgentdError, readSse } from '@agentd/spec';
import type { RequestOptions } from '../core/transport.js';
import { Resource } from './resource.js';

type Open = { [field: string]: unknown };

/** A message of the Chat Completions API. */
export interface ChatMessage extends Open {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string | null | Open[];
}

export interface ChatCompletionParams extends Open {
  messages: ChatMessage[];
  /** The model, as OpenAI's API requires it. */
  model: string;
}

export interface ChatCompletion extends Open {
  id: string;
  object: 'chat.completion';
  model: string;
  choices: { index: number; finish_reason: string | null; message: ChatMessage }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface ChatCompletionChunk extends Open {
  id: string;
  object: 'chat.completion.chunk';
  model: string;
  choices: { index: number; finish_reason: string | null; delta: Partial<ChatMessage> }[];
  usage?: ChatCompletion['usage'] | null;
}

/** /v1/chat/completions: the OpenAI-compatible surface, for code written against it. */
export class ChatCompletions extends Resource {
  /** Runs the conversation and returns the whole answer. */
  create(params: ChatCompletionParams, options?: RequestOptions): Promise<ChatCompletion> {
    return this.post('/v1/chat/completions', { ...params, stream: false }, options);
  }

  /**
   * The answer as it is written, chunk by chunk, until `[DONE]`; an error the
   * server reports mid-stream is thrown. Not resumed after a dropped
   * connection (the API has no sequence numbers): use `responses.stream` for that.
   */
  async *stream(
    params: ChatCompletionParams,
    options: RequestOptions = {},
  ): AsyncGenerator<ChatCompletionChunk> {
    const response = await this.transport.send({
      ...options,
      method: 'POST',
      path: '/v1/chat/completions',
      body: { ...params, stream: true },
      headers: { ...options.headers, accept: 'text/event-stream' },
    });
    if (!response.body) return;
    for await (const message of readSse(response.body, options.signal ? { signal: options.signal } : {})) {
      if (message.data === '[DONE]') return;
      const chunk = JSON.parse(message.data) as ChatCompletionChunk & {
        error?: { code?: string; message?: string };
      };
      if (chunk.error) {
        throw new AgentdError(
          'internal',
          chunk.error.code ?? 'server_error',
          chunk.error.message ?? 'failed',
        );
      }
      yield chunk;
    }
  }
}

/** /v1/chat: `client.chat.completions.create(...)`, as in OpenAI's clients. */
export class Chat {
  readonly completions: ChatCompletions;
  constructor(...args: ConstructorParameters<typeof ChatCompletions>) {
    this.completions = new ChatCompletions(...args);
  }
}
