import {
  type DeletedObject,
  type Item,
  type ListPage,
  type ResponseEvent,
  type ResponseObject,
  readSse,
} from '@agentd/spec';
import { sleep } from '../core/backoff.js';
import { type RequestOptions, seg } from '../core/transport.js';
import { ResponseStream, type StreamControl } from '../streaming/response-stream.js';
import type { CreateResponseParams } from '../types.js';
import { type ListQuery, Resource } from './resource.js';

export interface StreamOptions extends RequestOptions, Omit<StreamControl, 'startingAfter'> {
  /** `all` (the default): agentd's run events too (tool calls, model calls); `openai`: exactly OpenAI's. */
  events?: 'all' | 'openai';
  /** Extra output on resumed streams (`file_search_call.results`, ...); `stream()` takes it from the params too. */
  include?: string[];
}

export interface PollOptions {
  signal?: AbortSignal;
  /** Between two reads (default 1000 ms). */
  intervalMs?: number;
}

const TERMINAL = new Set(['completed', 'failed', 'incomplete', 'cancelled']);
const newKey = () => `sdk-${globalThis.crypto.randomUUID()}`;

/** /v1/responses: runs. */
export class Responses extends Resource {
  /**
   * Creates a response and waits for it to finish (or, with `background`,
   * returns it queued). Sent with an idempotency key, so a retry never starts
   * a second run.
   */
  create(params: CreateResponseParams, options: RequestOptions = {}): Promise<ResponseObject> {
    return this.post(
      '/v1/responses',
      { ...params, stream: false },
      {
        ...options,
        idempotencyKey: options.idempotencyKey ?? newKey(),
      },
    );
  }

  /**
   * Creates a response and streams its events. A dropped connection resumes
   * from the last event (before the run's id is known, by repeating the
   * request with its idempotency key).
   */
  stream(params: CreateResponseParams, options: StreamOptions = {}): ResponseStream {
    const idempotencyKey = options.idempotencyKey ?? newKey();
    const headers = { ...options.headers, 'agentd-events': options.events ?? 'all' };
    const create = (signal: AbortSignal) =>
      this.transport.send({
        method: 'POST',
        path: '/v1/responses',
        body: { ...params, stream: true },
        headers: { ...headers, accept: 'text/event-stream' },
        idempotencyKey,
        signal,
      });
    const stream: ResponseStream = new ResponseStream(
      {
        open: (after, signal) => {
          const id = stream.responseId;
          return id === undefined
            ? create(signal)
            : this.openStream(
                id,
                after ?? 0,
                { ...options, include: options.include ?? params.include, headers },
                signal,
              );
        },
        retrieve: (runId) => this.retrieve(runId),
        cancel: (runId) => this.cancel(runId),
        cancelCreated: () => this.cancelCreated(create),
      },
      options,
    );
    return stream;
  }

  /** Follows an existing response's events from after `startingAfter` (default: from the start). */
  resume(id: string, options: StreamOptions & { startingAfter?: number } = {}): ResponseStream {
    const headers = { ...options.headers, 'agentd-events': options.events ?? 'all' };
    return new ResponseStream(
      {
        open: (after, signal) => this.openStream(id, after ?? 0, { ...options, headers }, signal),
        retrieve: (runId) => this.retrieve(runId),
        cancel: (runId) => this.cancel(runId),
      },
      { ...options, cancelOnAbort: options.cancelOnAbort ?? false },
      id,
    );
  }

  retrieve(
    id: string,
    query: { include?: string[] } = {},
    options?: RequestOptions,
  ): Promise<ResponseObject> {
    return this.get(`/v1/responses/${seg(id)}`, query, options);
  }

  /** Cancels a queued or running response (409 `ConflictError` once it finished). */
  cancel(id: string, options?: RequestOptions): Promise<ResponseObject> {
    return this.post(`/v1/responses/${seg(id)}/cancel`, undefined, options);
  }

  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/responses/${seg(id)}`, undefined, options);
  }

  inputItems(id: string, query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<Item>> {
    return this.get(`/v1/responses/${seg(id)}/input_items`, query, options);
  }

  /** The run's event log (every event, agentd's own included), by sequence number. */
  events(
    id: string,
    query: { after?: number; limit?: number; order?: 'asc' | 'desc' } = {},
    options?: RequestOptions,
  ): Promise<ListPage<ResponseEvent>> {
    return this.get(`/v1/responses/${seg(id)}/events`, query, options);
  }

  /** Reads a (background) response until it has finished. */
  async poll(id: string, options: PollOptions = {}): Promise<ResponseObject> {
    for (;;) {
      const response = await this.retrieve(id, {}, options.signal ? { signal: options.signal } : {});
      if (TERMINAL.has(response.status)) return response;
      await sleep(options.intervalMs ?? 1000, options.signal);
    }
  }

  /**
   * Cancels the run of a create whose stream was aborted before its first
   * event: the create is repeated with its idempotency key (the server
   * answers with the same run, or makes it if the first never arrived), its
   * first event names the run, and the run is cancelled.
   */
  private async cancelCreated(create: (signal: AbortSignal) => Promise<Response>): Promise<void> {
    const connection = new AbortController();
    try {
      const response = await create(connection.signal);
      if (!response.body) return;
      for await (const message of readSse(response.body, { signal: connection.signal })) {
        const event = JSON.parse(message.data) as ResponseEvent;
        if (!('response' in event)) continue;
        if (!TERMINAL.has(event.response.status)) await this.cancel(event.response.id);
        return;
      }
    } finally {
      connection.abort();
    }
  }

  private openStream(
    id: string,
    after: number,
    options: RequestOptions & { include?: string[] | undefined },
    signal: AbortSignal,
  ) {
    return this.transport.send({
      method: 'GET',
      path: `/v1/responses/${seg(id)}`,
      query: { stream: 'true', starting_after: after, include: options.include },
      headers: { ...options.headers, accept: 'text/event-stream' },
      signal,
    });
  }
}
