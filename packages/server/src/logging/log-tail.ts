import type { Logger } from 'pino';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Which lines a reader wants: each given field equal (`request_id`, `tenant`), `level` at or above. */
export interface LogFilter {
  request_id?: string | undefined;
  tenant?: string | undefined;
  level?: string | undefined;
}

/** Whether a log line (one JSON object) passes the filter; a line that is not JSON passes only an empty one. */
export function matchesFilter(line: string, filter: LogFilter): boolean {
  const wanted = Object.entries(filter).filter(([, value]) => value !== undefined);
  if (wanted.length === 0) return true;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return false;
  }
  return wanted.every(([field, value]) =>
    field === 'level'
      ? (LEVELS[String(parsed.level)] ?? 0) >= (LEVELS[value as string] ?? 0)
      : String(parsed[field]) === value,
  );
}

/**
 * The server's last log lines (as written: redacted), and the lines as they
 * are written, for `GET /v1/logs/tail`. Fed by the logger's own stream, so
 * it holds exactly what the logs hold.
 */
export class LogTail {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();

  constructor(readonly capacity = 1000) {}

  push(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line) continue;
      this.lines.push(line);
      if (this.lines.length > this.capacity) this.lines.shift();
      for (const listener of this.listeners) listener(line);
    }
  }

  /** The last `count` lines kept (oldest first). */
  recent(count = this.capacity): string[] {
    return count <= 0 ? [] : this.lines.slice(-count);
  }

  /** Calls `listener` with each new line; returns the unsubscribe. */
  subscribe(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const TAIL = Symbol('agentd.logTail');

/** Remembers a logger's tail; its children (pino makes them with Object.create) find it too. */
export function attachLogTail(logger: Logger, tail: LogTail): void {
  (logger as unknown as Record<symbol, LogTail>)[TAIL] = tail;
}

/** The tail of a logger made by createLogger (or a child of one); undefined for other loggers. */
export function logTailOf(logger: Logger): LogTail | undefined {
  return (logger as unknown as Record<symbol, LogTail | undefined>)[TAIL];
}
