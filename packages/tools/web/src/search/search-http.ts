import { WebToolError } from '../errors.js';
import type { HttpBackendOptions, SearchResult } from './search-backend.js';

/** One JSON call to a search API, with a time limit and errors that name the backend. */
export async function callSearchApi(
  backend: string,
  url: URL,
  init: RequestInit,
  options: HttpBackendOptions,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { ...init, signal: combined });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted)
      throw new WebToolError(
        'search_failed',
        `${backend} search did not answer within ${timeoutMs / 1000} s.`,
      );
    throw new WebToolError(
      'search_failed',
      `${backend} search is unreachable: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    // An API may echo the key it refused: the message reaches the model and the logs, the key must not.
    const said = credentialsIn(init.headers).reduce((out, key) => out.split(key).join('[redacted]'), text);
    throw new WebToolError(
      'search_failed',
      `${backend} search answered HTTP ${response.status}: ${said.slice(0, 200)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WebToolError('search_failed', `${backend} search answered with something that is not JSON.`);
  }
}

/** The credentials a request carries in its headers (a bearer token, Brave's subscription token). */
function credentialsIn(headers: RequestInit['headers']): string[] {
  const all = new Headers(headers);
  return [all.get('authorization')?.replace(/^Bearer\s+/i, ''), all.get('x-subscription-token')].filter(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
}

export function joinUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
}

/** Snippets arrive with <strong> highlights and entities; the model wants text. */
export function plainText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function toResults<T>(
  items: readonly T[],
  count: number,
  map: (item: T) => SearchResult,
): SearchResult[] {
  return items
    .map(map)
    .filter((result) => result.url !== '')
    .slice(0, count);
}
