import { AgentdError, type ResponseEvent, type ResponseObject, readSse } from '@agentd/spec';
import { backoffDelay, RETRY_DEFAULTS, sleep } from '../core/backoff.js';
import { AgentdAPIError, StreamResumeError } from '../core/errors.js';

/** Opens the event stream of a run: from the start (`after` undefined) or after a sequence number. */
export type OpenStream = (after: number | undefined, signal: AbortSignal) => Promise<Response>;

export interface ResponseStreamHooks {
  open: OpenStream;
  /** Reads the run once, when a stream ends with no terminal event left to send. */
  retrieve(id: string): Promise<ResponseObject>;
  /** Cancels the run on the server. */
  cancel(id: string): Promise<unknown>;
  /**
   * Cancels the run a stream's create made, when it was aborted before the
   * run's id arrived (learning the id, then cancelling). Absent for streams
   * of a known run.
   */
  cancelCreated?(): Promise<unknown>;
}

export interface StreamControl {
  signal?: AbortSignal | undefined;
  /** Aborting the signal also cancels the run on the server (default true); false only stops reading. */
  cancelOnAbort?: boolean | undefined;
  /** Reconnections allowed in a row without an event in between (default 5). */
  maxReconnects?: number | undefined;
  /**
   * A connection that sends nothing (not even the server's heartbeat, every 15 s by default) for
   * this long is taken for dead and reopened (default 45 000 ms).
   */
  idleTimeoutMs?: number | undefined;
  /** The sequence number to resume after (a stream of an existing run). */
  startingAfter?: number | undefined;
}

const TERMINAL = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);
const TERMINAL_STATUS = new Set(['completed', 'failed', 'incomplete', 'cancelled']);

/**
 * A run's events, typed, read once. A dropped connection is resumed from the
 * last sequence number (nothing missed, nothing repeated); an abort stops
 * reading and, unless told otherwise, cancels the run.
 */
export class ResponseStream implements AsyncIterable<ResponseEvent> {
  /** Known once the first event (`response.created`) arrived. */
  responseId: string | undefined;
  /** The sequence number of the last event delivered. */
  lastSequenceNumber = 0;
  /** How many times the stream reconnected. */
  reconnects = 0;
  private final: ResponseObject | undefined;
  private failure: AgentdError | undefined;
  private started = false;
  private opened = false;

  constructor(
    private readonly hooks: ResponseStreamHooks,
    private readonly control: StreamControl = {},
    responseId?: string,
  ) {
    this.responseId = responseId;
    if (control.startingAfter !== undefined) this.lastSequenceNumber = control.startingAfter;
  }

  /** The run as it ended; reads (and drops) the events not read yet. */
  async finalResponse(): Promise<ResponseObject> {
    if (!this.started) for await (const _ of this);
    if (this.failure) throw this.failure;
    if (!this.final) throw new StreamResumeError('The stream ended before its run did');
    return this.final;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ResponseEvent> {
    if (this.started) throw new Error('A ResponseStream can be read only once');
    this.started = true;
    const signal = this.control.signal;
    const maxReconnects = this.control.maxReconnects ?? 5;
    let failures = 0;
    let lastError: unknown;
    try {
      for (;;) {
        signal?.throwIfAborted();
        let progressed = false;
        const connection = new AbortController();
        try {
          const after = this.responseId === undefined ? undefined : this.lastSequenceNumber;
          const linked = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
          this.opened = true;
          const response = await this.hooks.open(after, linked);
          if (!response.body) throw new StreamResumeError('The stream answer had no body');
          const body = watchIdle(response.body, this.control.idleTimeoutMs ?? 45_000, connection);
          for await (const message of readSse(body, { signal: linked })) {
            const event = JSON.parse(message.data) as ResponseEvent;
            // A replay (a repeated POST with the same idempotency key starts over) skips what was seen.
            if (event.sequence_number <= this.lastSequenceNumber) continue;
            this.lastSequenceNumber = event.sequence_number;
            if ('response' in event) {
              this.responseId ??= event.response.id;
              if (TERMINAL.has(event.type)) this.final = event.response;
            }
            progressed = true;
            failures = 0;
            if (event.type === 'error')
              this.failure = new AgentdError('internal', event.code, event.message, { param: event.param });
            yield event;
            if (this.final || this.failure) return;
            // Aborted while the caller held the event: no further event, even one already read.
            signal?.throwIfAborted();
          }
          // Ended without a terminal event: the run may have ended while we were away.
          if (this.responseId !== undefined && !progressed) {
            const run = await this.hooks.retrieve(this.responseId);
            if (TERMINAL_STATUS.has(run.status)) {
              this.final = run;
              return;
            }
          }
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          // The server answered with an error: resuming would get the same answer.
          if (error instanceof AgentdAPIError || error instanceof SyntaxError) throw error;
          lastError = error;
        } finally {
          // Closes this connection (and its idle timer) whichever way it ended.
          connection.abort();
        }
        if (!progressed) failures++;
        if (failures > maxReconnects)
          throw new StreamResumeError(
            `The stream broke ${failures} times in a row without an event; giving up`,
            lastError,
          );
        this.reconnects++;
        if (failures > 0) await sleep(backoffDelay(failures - 1, RETRY_DEFAULTS), signal);
      }
    } catch (error) {
      if (signal?.aborted && (this.control.cancelOnAbort ?? true) && !this.final) {
        if (this.responseId) await this.hooks.cancel(this.responseId).catch(() => undefined);
        // The create was sent but its run is not known yet: cancelled once it is, without holding the caller.
        else if (this.opened) void this.hooks.cancelCreated?.().catch(() => undefined);
      }
      throw error;
    }
  }
}

/** Passes the body through, aborting `connection` when no bytes come for `ms` (a half-open connection). */
function watchIdle(
  body: ReadableStream<Uint8Array>,
  ms: number,
  connection: AbortController,
): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  connection.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => connection.abort(new StreamResumeError(`No bytes for ${ms} ms`)), ms);
  };
  arm();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        arm();
        controller.enqueue(chunk);
      },
      flush: () => clearTimeout(timer),
    }),
    { signal: connection.signal },
  );
}
