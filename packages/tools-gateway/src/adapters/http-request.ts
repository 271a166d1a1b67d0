import type { ToolResult } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { policyRefusal } from './network-access.js';
import { readCapped } from './read-capped.js';
import { redactSecrets } from './redact-secrets.js';

export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
const EXCERPT_CHARS = 500;

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SendHttpRequestOptions {
  /** Names the endpoint in results and errors, e.g. "the tool 'weather'"; never the URL, which may hold a secret. */
  label: string;
  signal: AbortSignal;
  /** Secret values sent with the request; they are cut out of every result and error. */
  secrets: readonly string[];
  fetch?: typeof fetch;
  maxResultBytes?: number;
}

/**
 * Sends one tool request: no redirects followed, the run's signal attached,
 * the body read up to a cap. A non-2xx answer is an error result naming the
 * status; a failed request (network, redirect, the network policy) throws.
 */
export async function sendHttpRequest(
  request: HttpRequest,
  options: SendHttpRequestOptions,
): Promise<ToolResult> {
  const limit = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'error',
      signal: options.signal,
    });
    const { bytes, truncated } = await readCapped(response, limit);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok) {
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      const text = redactSecrets(decode(bytes, truncated), options.secrets, truncated).trim();
      if (text.length === 0) return { output: `${status} from ${options.label}`, isError: true };
      const excerpt = text.length > EXCERPT_CHARS || truncated ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
      return { output: `${status} from ${options.label}: ${excerpt}`, isError: true };
    }
    if (!isTextual(type)) {
      const size = truncated ? `more than ${limit}` : String(bytes.byteLength);
      return { output: `[binary response: ${type}, ${size} bytes]` };
    }
    if (bytes.byteLength === 0) return { output: `(empty response, HTTP ${response.status})` };
    const text = redactSecrets(decode(bytes, truncated), options.secrets, truncated);
    return {
      output: truncated ? `${text}\n[truncated: the response is larger than ${limit} bytes]` : text,
    };
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (error instanceof AdapterError) throw error;
    const refusal = policyRefusal(error, `the request to ${options.label}`);
    if (refusal) throw refusal;
    const detail = describe(error);
    const safe = redactSecrets(detail, options.secrets);
    throw new AdapterError(
      'request_failed',
      `the request to ${options.label} failed: ${safe}`,
      safe === detail ? { cause: error } : {},
    );
  }
}

/** Decodes UTF-8; a body cut short loses its last, incomplete character rather than gaining U+FFFD. */
function decode(bytes: Uint8Array, truncated: boolean): string {
  return new TextDecoder().decode(bytes, { stream: truncated });
}

function isTextual(contentType: string): boolean {
  if (contentType === '') return true;
  return /^text\/|json|xml|javascript|yaml|csv|x-www-form-urlencoded/i.test(contentType);
}

/** An error's message with its causes (undici says only "fetch failed" and puts the reason in `cause`). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
