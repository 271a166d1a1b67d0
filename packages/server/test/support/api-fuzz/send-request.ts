import { jsonText } from './hostile-values.js';
import type { FuzzRequest } from './mutations.js';
import type { Operation } from './openapi-operations.js';

/** What came back, read whole (a stream too) within the time bound. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
  /** Set when there was no complete answer: the time bound passed, or the connection failed. */
  failure?: string;
  /** A stream that never ends by design: judged by its status and headers, its body left unread. */
  endless?: boolean;
  /** A stream of log lines (one JSON line an event), which ends without a run's terminal event. */
  logLines?: boolean;
}

/** Whether the operation streams the server's log lines rather than a run's events. */
function isLogTail(operation: Operation): boolean {
  return operation.method.toLowerCase() === 'get' && operation.path === '/v1/logs/tail';
}

/**
 * Whether the request asks for a stream that follows forever: the log tail
 * with `follow=true` sends each new line until the client goes, so there is
 * no whole answer to wait for.
 */
export function followsForever(operation: Operation, request: FuzzRequest): boolean {
  return isLogTail(operation) && request.query.follow === 'true';
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is
 * sent as the three bytes WTF-8 gives it, as a hostile client could.
 */
export function encodeComponent(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

export function urlOf(baseUrl: string, operation: Operation, request: FuzzRequest): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeComponent(request.path[name] ?? ''),
  );
  const query = Object.entries(request.query)
    .map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`)
    .join('&');
  return `${baseUrl}${path}${query ? `?${query}` : ''}`;
}

function bodyOf(request: FuzzRequest): { body?: string | FormData; type?: string } {
  if (request.rawBody !== undefined) return { body: request.rawBody, type: 'application/json' };
  if (request.upload) {
    const form = new FormData();
    if (request.upload.purpose !== undefined) form.append('purpose', request.upload.purpose);
    form.append('file', new Blob([request.upload.content]), request.upload.filename);
    return { body: form };
  }
  if (request.body === undefined) return {};
  return { body: jsonText(request.body), type: 'application/json' };
}

/** Sends one request and reads the whole answer, giving up after `timeoutMs` (a hang, not slowness). */
export async function sendRequest(
  baseUrl: string,
  apiKey: string,
  operation: Operation,
  request: FuzzRequest,
  timeoutMs: number,
): Promise<Answer> {
  const started = performance.now();
  const { body, type } = bodyOf(request);
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (type) headers['content-type'] = type;
  try {
    const response = await fetch(urlOf(baseUrl, operation, request), {
      method: operation.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok && contentType.includes('text/event-stream') && followsForever(operation, request)) {
      await response.body?.cancel();
      return {
        status: response.status,
        contentType,
        text: '',
        ms: performance.now() - started,
        endless: true,
      };
    }
    const text = await response.text();
    const ms = performance.now() - started;
    return {
      status: response.status,
      contentType,
      text,
      ms,
      ...(isLogTail(operation) ? { logLines: true } : {}),
    };
  } catch (error) {
    const ms = performance.now() - started;
    const failure =
      (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error);
    return { status: 0, contentType: '', text: '', ms, failure };
  }
}
