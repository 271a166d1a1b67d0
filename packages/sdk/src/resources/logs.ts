import { readSse } from '@agentd/spec';
import type { LogLevel } from '@agentd/spec/wire';
import type { RequestOptions } from '../core/transport.js';
import { Resource } from './resource.js';

/** Which lines `logs.tail` reads: the filters of GET /v1/logs/tail. */
export interface LogTailParams {
  /** Keep reading each new line as the server writes it (until aborted or dropped). */
  follow?: boolean;
  /** How many of the last lines kept to send first (0 to 1000, default 100). */
  lines?: number;
  request_id?: string;
  tenant?: string;
  /** Only lines at this level or above. */
  level?: LogLevel;
}

/** One log line, as the server wrote it (and redacted it). */
export interface LogLine {
  level?: string;
  time?: string | number;
  msg?: string;
  request_id?: string;
  [field: string]: unknown;
}

/** What a tail yields: a line (its JSON as written in `raw`), or the server's word that it stopped following. */
export type LogTailEvent =
  | { type: 'line'; line: LogLine; raw: string }
  | { type: 'dropped'; message: string };

/** /v1/logs: the server's own log lines (a platform admin's key; they cover every tenant). */
export class Logs extends Resource {
  /**
   * The last lines the server logged, then with `follow` each new one:
   * `for await (const event of client.logs.tail({ follow: true, request_id }))`.
   * A reader that falls too far behind gets a `dropped` event, the last.
   */
  async *tail(params: LogTailParams = {}, options: RequestOptions = {}): AsyncGenerator<LogTailEvent> {
    const { follow, ...filters } = params;
    const response = await this.transport.send({
      method: 'GET',
      path: '/v1/logs/tail',
      query: { ...filters, ...(follow ? { follow: 'true' } : {}) },
      headers: { ...options.headers, accept: 'text/event-stream' },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
    if (!response.body) return;
    for await (const message of readSse(response.body, options.signal ? { signal: options.signal } : {})) {
      if (message.event === 'dropped') {
        yield { type: 'dropped', message: dropReason(message.data) };
        return;
      }
      yield { type: 'line', line: parseLine(message.data), raw: message.data };
    }
  }
}

function parseLine(data: string): LogLine {
  try {
    const line = JSON.parse(data) as unknown;
    return typeof line === 'object' && line !== null ? (line as LogLine) : { msg: data };
  } catch {
    return { msg: data };
  }
}

function dropReason(data: string): string {
  try {
    return (JSON.parse(data) as { message?: string }).message ?? 'too far behind';
  } catch {
    return 'too far behind';
  }
}
