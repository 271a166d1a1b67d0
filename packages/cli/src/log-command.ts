import type { LogTailParams } from '@agentd/sdk';
import { connect, describeError, UsageError } from './connection.js';
import type { Output } from './render-events.js';
import { createStyle } from './style.js';

export interface LogTailOptions {
  url?: string | undefined;
  key?: string | undefined;
  follow?: boolean | undefined;
  filter?: string[] | undefined;
  lines?: string | undefined;
  json?: boolean | undefined;
  env: Record<string, string | undefined>;
  out: Output & { isTTY?: boolean };
  err: Output;
}

const FILTERS = ['request_id', 'tenant', 'level'];

/**
 * `agentd log tail [--follow] [--filter request_id=abc]`: the server's log
 * lines (a platform admin's key), as the server redacted them; one line each,
 * or the JSON as written with --json.
 */
export async function logTail(options: LogTailOptions): Promise<number> {
  const params: LogTailParams = {};
  for (const filter of options.filter ?? []) {
    const [field, ...rest] = filter.split('=');
    if (!field || !FILTERS.includes(field) || rest.length === 0)
      throw new UsageError(
        `--filter takes FIELD=VALUE with FIELD one of ${FILTERS.join(', ')} (got '${filter}')`,
      );
    // The server names a value it refuses (a level it does not know: 400).
    Object.assign(params, { [field]: rest.join('=') });
  }
  if (options.follow) params.follow = true;
  // A count that is not one is the server's to refuse (400 naming `lines`).
  if (options.lines !== undefined) params.lines = options.lines as unknown as number;
  const client = connect(options, options.env);
  const style = createStyle(options.out, options.env);
  try {
    // Not retried: a tail is read once, and --follow would otherwise print its first lines again.
    for await (const event of client.logs.tail(params, { maxRetries: 0 })) {
      if (event.type === 'dropped') {
        // The server stopped following: this reader fell too far behind.
        options.err.write(`agentd: the server dropped this tail: ${event.message}\n`);
        return 1;
      }
      options.out.write(`${options.json ? event.raw : pretty(event.raw, style)}\n`);
    }
  } catch (error) {
    options.err.write(`agentd: ${describeError(error, client.baseURL)}\n`);
    return 1;
  }
  return 0;
}

function pretty(data: string, style: ReturnType<typeof createStyle>): string {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return data;
  }
  const { time, level, msg, service: _service, pid: _pid, hostname: _hostname, ...rest } = line;
  const label = String(level ?? '').padEnd(5);
  const coloured =
    level === 'error' || level === 'fatal'
      ? style.red(label)
      : level === 'warn'
        ? style.yellow(label)
        : style.dim(label);
  const fields = Object.entries(rest)
    .map(([field, value]) => `${field}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${style.dim(String(time ?? ''))} ${coloured} ${msg ?? ''}${fields ? ` ${style.dim(fields)}` : ''}`;
}
