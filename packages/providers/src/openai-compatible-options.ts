import { fetchPost } from './http/fetch-post.js';
import type { HttpPost } from './http/http-post.js';
import { undiciPost } from './http/undici-post.js';

/** Options shared by the OpenAI-compatible providers (Chat Completions and Responses). */
export interface OpenAICompatibleOptions {
  /** The API root, e.g. `https://api.openai.com/v1` or `http://localhost:8000/v1`. */
  baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>`; omit for servers without auth. */
  apiKey?: string;
  /** Extra request headers, e.g. an organisation or project id. */
  headers?: Record<string, string>;
  /** Retries after the first attempt, on 429, 5xx, time-outs and connection errors. Default 3. */
  maxRetries?: number;
  /** The first backoff ceiling; each retry doubles it (full jitter). Default 500. */
  retryBaseDelayMs?: number;
  /** The largest backoff ceiling. Default 8000. */
  retryMaxDelayMs?: number;
  /** Time allowed until the response headers arrive. Default 60000. */
  requestTimeoutMs?: number;
  /** The longest gap allowed between two chunks of the stream. Default 60000. */
  idleTimeoutMs?: number;
  /** A fetch implementation to use instead of the built-in HTTP client. */
  fetch?: typeof globalThis.fetch;
}

export type OpenAIChatModelOptions = OpenAICompatibleOptions;
export type OpenAIResponsesModelOptions = OpenAICompatibleOptions;

export interface ResolvedOptions {
  baseURL: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  post: HttpPost;
}

export function resolveOptions(options: OpenAICompatibleOptions): ResolvedOptions {
  if (!options.baseURL) throw new TypeError('baseURL is required, e.g. http://localhost:8000/v1');
  return {
    baseURL: options.baseURL.replace(/\/+$/, ''),
    apiKey: options.apiKey || undefined,
    headers: options.headers ?? {},
    maxRetries: options.maxRetries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 8000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    post: options.fetch ? fetchPost(options.fetch) : undiciPost,
  };
}
