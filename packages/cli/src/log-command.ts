import { APIConnectionError, AuthenticationError, PermissionDeniedError } from '@agentd/sdk';
import { readSse } from '@agentd/spec';
import { describeError, resolveConnection, UsageError } from './connection.js';
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
  const { url, key } = resolveConnection(options, options.env);
  const query = new URLSearchParams();
  for (const filter of options.filter ?? []) {
    const [field, ...rest] = filter.split('=');
    if (!field || !FILTERS.includes(field) || rest.length === 0)
      throw new UsageError(
        `--filter takes FIELD=VALUE with FIELD one of ${FILTERS.join(', ')} (got '${filter}')`,
      );
    query.set(field, rest.join('='));
  }
  if (options.follow) query.set('follow', 'true');
  if (options.lines !== undefined) query.set('lines', options.lines);
  const base = url.replace(/\/+$/, '').replace(/\/v1$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/v1/logs/tail?${query}`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    });
  } catch (error) {
    options.err.write(
      `agentd: ${describeError(new APIConnectionError(`Cannot reach ${base}`, error), base)}\n`,
    );
    return 1;
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
    const fields = {
      type: 'error',
      code: body.error?.code ?? 'http_error',
      message: body.error?.message ?? `HTTP ${response.status}`,
      param: null,
    };
    const error =
      response.status === 401
        ? new AuthenticationError(401, fields, null)
        : response.status === 403
          ? new PermissionDeniedError(403, fields, null)
          : undefined;
    options.err.write(`agentd: ${error ? describeError(error) : `${fields.message} (${response.status})`}\n`);
    return 1;
  }
  const style = createStyle(options.out, options.env);
  for await (const message of readSse(response.body)) {
    if (message.event === 'dropped') {
      // The server stopped following: this reader fell too far behind.
      const { message: why } = JSON.parse(message.data) as { message?: string };
      options.err.write(`agentd: the server dropped this tail: ${why ?? 'too far behind'}\n`);
      return 1;
    }
    options.out.write(`${options.json ? message.data : pretty(message.data, style)}\n`);
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
