/**
 * The HTTP client contract of the model providers: one POST whose answer
 * streams (undici's request, or a caller's fetch). Its suite is
 * describeHttpPostContract in @agentd/testing.
 */

/** The subset of a stream reader the SSE reader uses; a web ReadableStream's reader is one. */
export interface ByteReader {
  read(): Promise<{ done: true; value?: Uint8Array | undefined } | { done: false; value: Uint8Array }>;
  /** Stops reading and releases the connection. */
  cancel(): Promise<void>;
}

/** An HTTP answer, whichever client fetched it. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Pick<Headers, 'get'>;
  text(): Promise<string>;
  /** A reader of the body; undefined when the answer has none. */
  body(): ByteReader | undefined;
}

export interface HttpPostInit {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/**
 * Sends a POST and resolves once the answer's status and headers arrive.
 * Rejects when the connection fails or the signal aborts.
 */
export type HttpPost = (url: string, init: HttpPostInit) => Promise<HttpAnswer>;
