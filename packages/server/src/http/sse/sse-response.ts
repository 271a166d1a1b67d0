import { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { type Beating, HeartbeatWheel } from './heartbeat-wheel.js';

/** An open server-sent event response. */
export interface SseStream {
  /** Writes `text` (whole events); false when the client is behind: wait for `onDrain`. */
  write(text: string): boolean;
  /** Ends the response. */
  end(): void;
}

export interface SseHandlers {
  /** The client caught up after a write returned false. */
  onDrain(): void;
  /** The response ended or the client went away; called once. */
  onClose(): void;
}

/** Tells @hono/node-server that the handler wrote the response itself. */
const ALREADY_SENT = 'x-hono-already-sent';
const HEARTBEAT = ': keep-alive\n\n';

/**
 * Opens an SSE response with a heartbeat every `heartbeatMs` (the process's
 * HeartbeatWheel). On Node's HTTP server (always, outside tests that call
 * `app.request`) the head is written at once with the headers the middleware
 * prepared (request id, rate limits), and events go straight to the socket:
 * no web stream, reader or pending promise sits between the handler and the
 * socket, and the request's context is not held once the handler returns, so
 * an idle stream costs the Node request and response and a small record.
 * Middleware that runs after the handler cannot change its headers (none of
 * ours does). Elsewhere, a ReadableStream carries the same bytes.
 */
export function openSse(
  c: Context<AppEnv>,
  heartbeatMs: number,
  handlers: SseHandlers,
): { response: Response; stream: SseStream } {
  c.header('Content-Type', 'text/event-stream');
  c.header('Cache-Control', 'no-cache');
  c.header('Connection', 'keep-alive');
  const outgoing: unknown = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse && !outgoing.headersSent) {
    const headers: Record<string, string> = {};
    c.newResponse(null, 200).headers.forEach((value, key) => {
      headers[key] = value;
    });
    outgoing.writeHead(200, headers);
    outgoing.flushHeaders();
    const stream = new NodeSseStream(outgoing, handlers, heartbeatMs);
    const sent = new Response(null, { status: 200, headers: { [ALREADY_SENT]: 'true' } });
    // @hono/node-server's own Response answers from a cache unless its body was asked for; asked,
    // it is a plain Response, whose `x-hono-already-sent` makes the server leave the socket alone.
    void sent.body;
    return { response: sent, stream };
  }
  return webSse(c, handlers, heartbeatMs);
}

/** An SSE response written to Node's ServerResponse. */
class NodeSseStream implements SseStream, Beating {
  private closed = false;
  private readonly stopBeats: () => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly handlers: SseHandlers,
    heartbeatMs: number,
  ) {
    const finish = () => this.finish();
    res.on('drain', handlers.onDrain);
    res.once('close', finish);
    // A write that fails (the client went away mid-write) ends the stream, never the process.
    res.once('error', finish);
    this.stopBeats = HeartbeatWheel.every(heartbeatMs).add(this);
  }

  write(text: string): boolean {
    if (this.closed) return false;
    return this.res.write(text);
  }

  beat(): void {
    // A client still reading what was written has bytes coming; a heartbeat would only queue.
    if (!this.closed && !this.res.writableNeedDrain) this.res.write(HEARTBEAT);
  }

  end(): void {
    if (this.closed) return;
    this.res.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopBeats();
    this.res.off('drain', this.handlers.onDrain);
    this.handlers.onClose();
  }
}

/** How many bytes a web stream holds for a slow client before its writes say it is behind. */
const WEB_HIGH_WATER = 64 * 1024;

function webSse(
  c: Context<AppEnv>,
  handlers: SseHandlers,
  heartbeatMs: number,
): { response: Response; stream: SseStream } {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    stopBeats();
    handlers.onClose();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start: (control) => {
        controller = control;
      },
      pull: () => handlers.onDrain(),
      cancel: finish,
    },
    { highWaterMark: WEB_HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
  const write = (text: string): boolean => {
    if (closed) return false;
    controller.enqueue(encoder.encode(text));
    return (controller.desiredSize ?? 0) > 0;
  };
  const stopBeats = HeartbeatWheel.every(heartbeatMs).add({
    beat: () => {
      if ((controller.desiredSize ?? 0) > 0) write(HEARTBEAT);
    },
  });
  const stream: SseStream = {
    write,
    end: () => {
      if (closed) return;
      controller.close();
      finish();
    },
  };
  return { response: c.newResponse(body, 200), stream };
}
