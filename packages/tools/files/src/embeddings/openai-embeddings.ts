import { EmbeddingError } from '../errors.js';
import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';
import { vectorsFromResponse } from './embeddings-response.js';
import { backoffMs, retryAfterMs, sleep } from './retry-delay.js';

export interface OpenAIEmbeddingsOptions {
  /** The API root, as OpenAI, vLLM, Ollama and TEI serve it: e.g. `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /**
   * The vectors' length. Required for models other than OpenAI's own, whose
   * native length is known. Sent as the `dimensions` parameter (OpenAI's
   * text-embedding-3 models and Matryoshka models shorten their vectors to
   * it) unless sendDimensions is false; every answer is checked against it.
   */
  dimensions?: number;
  /** False for servers that reject the `dimensions` parameter; the length is then only checked. Default true. */
  sendDimensions?: boolean;
  /** Inputs per request. Default 32 (TEI's default limit; OpenAI takes up to 2048). */
  batchSize?: number;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
  /** Retries of a request after HTTP 408, 429 or 5xx, a connection failure or a time-out. Default 3. */
  maxRetries?: number;
}

const NATIVE_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** A failed request worth trying again: a rate limit, a server error, a connection failure, a time-out. */
interface RetryableFailure {
  problem: string;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/** A server that asks to wait longer than this is reported as an error instead. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Embeddings from any server that speaks OpenAI's `POST /embeddings`:
 * inputs sent in batches, one batch at a time; each request retried with
 * backoff (honouring Retry-After) on rate limits, server errors and
 * connection failures; vectors ordered by their `index` and their length
 * checked. Errors name the URL and the server's message, never the API key.
 */
export class OpenAIEmbeddings implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  readonly #options: OpenAIEmbeddingsOptions;
  readonly #url: string;
  readonly #sendDimensions: boolean;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;

  constructor(options: OpenAIEmbeddingsOptions) {
    const dimensions = options.dimensions ?? NATIVE_DIMENSIONS[options.model];
    if (dimensions === undefined)
      throw new RangeError(
        `OpenAIEmbeddings: set \`dimensions\` for model "${options.model}" (the length of its vectors, ` +
          'e.g. 768 for nomic-embed-text); it is known only for OpenAI models',
      );
    this.dimensions = integerAtLeast(1, dimensions, 'dimensions');
    this.#batchSize = integerAtLeast(1, options.batchSize ?? 32, 'batchSize');
    this.#timeoutMs = integerAtLeast(1, options.timeoutMs ?? 60_000, 'timeoutMs');
    this.#maxRetries = integerAtLeast(0, options.maxRetries ?? 3, 'maxRetries');
    this.id = `openai-compatible:${options.model}:${dimensions}`;
    this.#options = options;
    this.#url = `${checkedBaseUrl(options.baseUrl).replace(/\/+$/, '')}/embeddings`;
    this.#sendDimensions = options.dimensions !== undefined && options.sendDimensions !== false;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let at = 0; at < texts.length; at += this.#batchSize)
      vectors.push(...(await this.#embedBatch(texts.slice(at, at + this.#batchSize), options)));
    return vectors;
  }

  async #embedBatch(input: string[], options: EmbedOptions): Promise<number[][]> {
    const signal = options.signal;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(input, signal);
      if ('vectors' in outcome) {
        if (outcome.inputTokens !== undefined)
          options.onUsage?.({ model: this.#options.model, inputTokens: outcome.inputTokens });
        return outcome.vectors;
      }
      if (attempt >= this.#maxRetries)
        throw this.#error(`${outcome.problem} (gave up after ${attempt + 1} attempts)`, outcome);
      const delay = outcome.retryAfterMs ?? backoffMs(attempt);
      if (delay > MAX_RETRY_AFTER_MS)
        throw this.#error(
          `${outcome.problem}; the server asks to retry after ${Math.ceil(delay / 1000)} s`,
          outcome,
        );
      await sleep(delay, signal);
    }
  }

  /** One request: the vectors, or a retryable failure. Failures not worth retrying are thrown. */
  async #attempt(
    input: string[],
    signal: AbortSignal | undefined,
  ): Promise<{ vectors: number[][]; inputTokens?: number } | RetryableFailure> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: this.#headers(),
        body: JSON.stringify(this.#body(input)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const problem = timeout.aborted
        ? `no answer within ${this.#timeoutMs} ms`
        : `could not connect (${causeMessage(error)})`;
      return { problem, cause: error };
    }
    if (response.ok) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw this.#error('the server answered with invalid JSON', { cause: error });
      }
      try {
        const vectors = vectorsFromResponse(body, input.length, this.dimensions, this.#options.model);
        const tokens = (body as { usage?: { prompt_tokens?: unknown } }).usage?.prompt_tokens;
        return typeof tokens === 'number' ? { vectors, inputTokens: tokens } : { vectors };
      } catch (error) {
        throw this.#error((error as Error).message, {});
      }
    }
    const problem = `HTTP ${response.status}: ${serverMessage(text) || response.statusText}`;
    const status = response.status;
    if (status !== 408 && status !== 429 && status < 500) throw this.#error(problem, { status });
    const retryAfter = retryAfterMs(response.headers);
    return { problem, status, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`;
    return headers;
  }

  #body(input: string[]): Record<string, unknown> {
    const body: Record<string, unknown> = { model: this.#options.model, input, encoding_format: 'float' };
    if (this.#sendDimensions) body.dimensions = this.dimensions;
    return body;
  }

  /** An error naming the endpoint and the model; the API key is masked wherever it appears. */
  #error(problem: string, details: { status?: number; cause?: unknown }): EmbeddingError {
    const key = this.#options.apiKey;
    const message = `embeddings request to ${this.#url} (model "${this.#options.model}") failed: ${problem}`;
    return new EmbeddingError(key ? message.split(key).join('***') : message, details);
  }
}

/** An http(s) URL without user name or password (fetch refuses those, quoting them in its error). */
function checkedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(
      'OpenAIEmbeddings: baseUrl must be an absolute http(s) URL such as http://localhost:11434/v1',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`OpenAIEmbeddings: baseUrl must be an http(s) URL, not ${url.protocol}`);
  if (url.username || url.password)
    throw new RangeError('OpenAIEmbeddings: baseUrl must not contain credentials; pass the key as apiKey');
  return baseUrl;
}

function integerAtLeast(min: number, value: number, name: string): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`OpenAIEmbeddings: ${name} must be a whole number of at least ${min}, not ${value}`);
  return value;
}

/** The `error.message` of an OpenAI-shaped error body, or the start of any other body. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: quote the text itself.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** fetch hides the reason for a connection failure in `cause`. */
function causeMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
