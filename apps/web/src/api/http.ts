import { bearer } from './credentials.js';

/** An error the API answered with (its JSON `error`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Called when the API answers 401: the credential is gone or wrong. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the body as is (a FormData upload) instead of JSON. */
  raw?: BodyInit;
}

/** A request to the public API with the signed-in credential; answers the raw Response when ok. */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const credential = bearer();
  if (credential) headers.authorization = `Bearer ${credential}`;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body ?? null, signal: options.signal ?? null });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (response.ok) return response;
  if (response.status === 401) onUnauthorized();
  throw await errorOf(response);
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; param?: string } };
    if (error?.message)
      return new ApiError(response.status, error.code ?? 'error', error.message, error.param ?? null);
  } catch {
    // Not JSON: said below as it is.
  }
  return new ApiError(response.status, 'http_error', text.slice(0, 200) || `HTTP ${response.status}`);
}

/** A JSON request: the parsed body. */
export async function json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  return (await response.json()) as T;
}
