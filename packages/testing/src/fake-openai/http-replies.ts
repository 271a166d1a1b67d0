import type { IncomingMessage, ServerResponse } from 'node:http';
import { fakeId } from './turn-content.js';
import type { FakeTurn } from './types.js';

/** Plays a turn's SSE lines, with its pauses and injected faults. */
export async function streamLines(
  res: ServerResponse,
  lines: string[],
  turn: FakeTurn,
  state: { closedByServer: boolean },
): Promise<void> {
  res.writeHead(200, sseHeaders());
  for (const [i, line] of lines.entries()) {
    if (turn.chunkDelayMs) await waitOrClose(res, turn.chunkDelayMs);
    if (res.destroyed) return;
    if (turn.dropAfterChunks === i) {
      state.closedByServer = true;
      res.socket?.destroy();
      return;
    }
    if (turn.hangAfterChunks === i) return waitOrClose(res);
    if (turn.malformedAfterChunks === i) {
      res.end('data: {"id":"chatcmpl-broken","choices":[{"delta":\n\n');
      return;
    }
    // Wait until the line is handed to the kernel, so a drop that follows cannot swallow it.
    await new Promise<void>((resolve) => res.write(line, () => resolve()));
  }
  res.end();
}

export function sseHeaders(): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': fakeId('req_'),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': fakeId('req_'), ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: NonNullable<FakeTurn['error']>): void {
  if (typeof error.body === 'string') {
    res.writeHead(error.status, { 'content-type': 'text/plain', ...error.headers }).end(error.body);
    return;
  }
  sendJson(res, error.status, error.body ?? defaultErrorBody(error.status), error.headers);
}

function defaultErrorBody(status: number): unknown {
  if (status === 429)
    return openAIError(
      'Rate limit reached for requests. Please try again later.',
      'requests',
      'rate_limit_exceeded',
    );
  if (status >= 500)
    return openAIError(
      'The server had an error while processing your request. Sorry about that!',
      'server_error',
    );
  return openAIError(`The fake server was scripted to answer ${status}.`, 'invalid_request_error');
}

export function openAIError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms` (or never, if omitted) or as soon as the connection closes. */
export function waitOrClose(res: ServerResponse, ms?: number): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    res.on('close', done);
  });
}
