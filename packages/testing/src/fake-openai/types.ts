import type { IncomingHttpHeaders } from 'node:http';

export interface FakeToolCall {
  /** Generated (`call_…`) when omitted. */
  id?: string;
  name: string;
  /** The arguments JSON, streamed in several pieces. */
  arguments: string;
}

/** One scripted answer. Everything is optional: `{}` answers with the default text. */
export interface FakeTurn {
  /** Streamed as several deltas (word by word). */
  text?: string;
  /** The exact text deltas to stream, instead of splitting `text`. */
  chunks?: string[];
  /** Streamed before the text: `delta.reasoning_content` (vLLM style) or a reasoning summary (Responses). */
  reasoning?: string;
  toolCalls?: FakeToolCall[];
  /** Interleave the deltas of several tool calls instead of sending them one call after another. */
  interleaveToolCalls?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** A pause before each streamed event. */
  chunkDelayMs?: number;
  /** A pause before the response headers. */
  delayBeforeHeadersMs?: number;
  /** Answer with this HTTP error instead of a stream. */
  error?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** End the stream with an error: a `{"error":…}` chunk (chat) or `response.failed` (Responses). */
  streamError?: { message: string; code?: string };
  /** Destroy the socket after this many events. */
  dropAfterChunks?: number;
  /** Send a line of invalid JSON after this many events, then end the response. */
  malformedAfterChunks?: number;
  /** Send the headers, then nothing until the client goes away. */
  hang?: boolean;
  /** Send this many events, then nothing more until the client goes away (a model stalled mid-answer). */
  hangAfterChunks?: number;
}

/** One scripted answer of `POST /v1/embeddings`. `{}` answers with the computed vectors. */
export interface FakeEmbeddingTurn {
  /** Answer with this HTTP error instead of vectors. */
  error?: FakeTurn['error'];
  /** A pause before the answer. */
  delayBeforeHeadersMs?: number;
  /** Close the connection without answering. */
  drop?: boolean;
  /** These vectors, in input order, instead of the computed ones (e.g. of the wrong length). */
  embeddings?: number[][];
}

export interface FakeRequest {
  method: string;
  /** e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined for GET). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary request fields
  body: any;
  /** True when the client closed the connection before the answer was complete. */
  aborted: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeTurn | Promise<FakeTurn>;

export interface FakeOpenAIOptions {
  /** The text of the default turn, used when nothing is queued and no handler is set. */
  defaultText?: string;
  /** The model id listed by GET /v1/models. */
  model?: string;
}

export interface FakeOpenAI {
  /** e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: FakeRequest[];
  /** Scripts the next answers, in order; queued turns win over the handler. */
  enqueue(...turns: FakeTurn[]): void;
  /**
   * Scripts the next answers of `POST /v1/embeddings`, in order; a queue of
   * its own, so embedding calls never take a chat turn. Once it is empty,
   * every input gets a deterministic vector in which texts sharing words
   * are similar.
   */
  enqueueEmbeddings(...turns: FakeEmbeddingTurn[]): void;
  /** Answers requests dynamically once the queue is empty; `undefined` removes it. */
  setHandler(handler: FakeHandler | undefined): void;
  /** Clears the queues, the handler and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}
