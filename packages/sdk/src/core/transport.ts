import { backoffDelay, RETRYABLE_STATUSES, type RetryOptions, sleep } from './backoff.js';
import { APIConnectionError, errorFromResponse } from './errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface TransportOptions {
  baseURL: string;
  apiKey: string;
  fetch: FetchLike;
  retry: Required<RetryOptions>;
  headers: Record<string, string>;
}

/** Per-call options every resource method takes. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** More headers for this call. */
  headers?: Record<string, string>;
  /** Retries for this call (default: the client's). */
  maxRetries?: number;
  /** Makes a POST safe to retry; the server answers a repeat with the first result. */
  idempotencyKey?: string;
}

export interface Call extends RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** A JSON body, or FormData sent as it is. */
  body?: unknown;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

/**
 * Sends requests: the key, JSON in and out, typed errors, and retries of
 * idempotent requests (GET, PUT, DELETE, and anything with an idempotency
 * key) on a broken connection or a retryable status, with backoff.
 */
export class Transport {
  readonly baseURL: string;
  constructor(private readonly options: TransportOptions) {
    this.baseURL = options.baseURL.replace(/\/+$/, '');
  }

  async json<T>(call: Call): Promise<T> {
    const response = await this.send(call);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Sends a request and returns its successful response (errors thrown typed); the body is the caller's. */
  async send(call: Call): Promise<Response> {
    const retries = call.maxRetries ?? this.options.retry.maxRetries;
    const retryable = IDEMPOTENT.has(call.method) || call.idempotencyKey !== undefined;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.options.fetch(this.url(call.path, call.query), this.init(call));
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (!retryable || attempt >= retries)
          throw new APIConnectionError(`Cannot reach ${this.baseURL}: ${describe(error)}`, error);
        await sleep(backoffDelay(attempt, this.options.retry), call.signal);
        continue;
      }
      if (response.ok) return response;
      if (retryable && attempt < retries && RETRYABLE_STATUSES.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(
          backoffDelay(attempt, this.options.retry, response.headers.get('retry-after')),
          call.signal,
        );
        continue;
      }
      throw errorFromResponse(
        response.status,
        await readBody(response),
        response.headers.get('x-request-id'),
      );
    }
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const url = `${this.baseURL}${path}`;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) params.append(name, item);
      else params.append(name, String(value));
    }
    const search = params.toString();
    return search === '' ? url : `${url}?${search}`;
  }

  private init(call: Call): RequestInit {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      authorization: `Bearer ${this.options.apiKey}`,
      ...call.headers,
    };
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    let body: RequestInit['body'];
    if (call.body instanceof FormData) body = call.body;
    else if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const init: RequestInit = { method: call.method, headers };
    if (body !== undefined) init.body = body;
    if (call.signal) init.signal = call.signal;
    return init;
  }
}

/** A path segment, encoded: ids come from users and must not change the path. */
export const seg = (value: string): string => encodeURIComponent(value);

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
