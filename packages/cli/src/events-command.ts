import type { ResponseEvent } from '@agentd/spec';
import { connect, describeError } from './connection.js';
import { createEventRenderer, type Output } from './render-events.js';

export interface EventsOptions {
  id: string;
  url?: string | undefined;
  key?: string | undefined;
  follow?: boolean | undefined;
  json?: boolean | undefined;
  env: Record<string, string | undefined>;
  out: Output;
  err: Output;
}

/**
 * `agentd responses events ID`: the run's event log, rendered as `run` shows
 * a run (or one JSON event a line with --json); --follow streams it live
 * until the run ends.
 */
export async function responseEvents(options: EventsOptions): Promise<number> {
  const client = connect(options, options.env);
  const renderer = options.json
    ? undefined
    : createEventRenderer(options.out, options.err, { env: options.env });
  const render = (event: ResponseEvent) =>
    renderer ? renderer(event) : options.out.write(`${JSON.stringify(event)}\n`);
  try {
    if (options.follow) {
      for await (const event of client.responses.resume(options.id)) render(event);
    } else {
      let after = 0;
      for (;;) {
        const page = await client.responses.events(options.id, { after, limit: 100, order: 'asc' });
        for (const event of page.data) render(event);
        const last = page.data.at(-1);
        if (!page.has_more || !last) break;
        after = last.sequence_number;
      }
    }
    await renderer?.finish();
    return 0;
  } catch (error) {
    options.err.write(`agentd: ${describeError(error, client.baseURL)}\n`);
    return 1;
  }
}
