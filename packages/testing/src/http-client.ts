import { collectSse, type SseEvent } from './sse-client.js';
import type { UntypedJson } from './untyped-json.js';

export interface ApiResponse<T = UntypedJson> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A raw body, sent as is (for malformed-input tests). */
  raw?: string | Uint8Array;
}

/** A small JSON client for the tests: every call returns status, headers and parsed body. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey?: string,
  ) {}

  withKey(apiKey: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, apiKey);
  }

  get<T = UntypedJson>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = UntypedJson>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  patch<T = UntypedJson>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  delete<T = UntypedJson>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /**
   * Reads a whole event stream: a POST of `body` as JSON when there is one
   * (e.g. `{ ..., stream: true }` to /v1/responses), a GET otherwise.
   */
  async stream(path: string, body?: unknown, options: RequestOptions = {}): Promise<SseEvent[]> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.apiKey !== undefined && headers.authorization === undefined)
      headers.authorization = `Bearer ${this.apiKey}`;
    if (body === undefined) return collectSse(await fetch(`${this.baseUrl}${path}`, { headers }));
    headers['content-type'] ??= 'application/json';
    const payload = JSON.stringify(body);
    return collectSse(await fetch(`${this.baseUrl}${path}`, { method: 'POST', headers, body: payload }));
  }

  async request<T = UntypedJson>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.apiKey !== undefined && headers.authorization === undefined)
      headers.authorization = `Bearer ${this.apiKey}`;
    let payload: string | Uint8Array | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}
