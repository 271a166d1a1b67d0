import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { defineRoute } from '../http/define-route.js';
import { newRouter } from '../http/router.js';
import { type LogFilter, logTailOf, matchesFilter } from './log-tail.js';

const LogTailQuerySchema = z.object({
  follow: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Keep the stream open and send each new line as it is written.' }),
  lines: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(100)
    .openapi({ description: 'How many of the last lines kept (up to 1000) to send first.' }),
  request_id: z.string().optional().openapi({ description: 'Only the lines of this request.' }),
  tenant: z.string().optional().openapi({ description: 'Only the lines of this tenant.' }),
  level: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
    .optional()
    .openapi({ description: 'Only lines at this level or above.' }),
});

const tailRoute = defineRoute({
  method: 'get',
  path: '/v1/logs/tail',
  tags: ['Logs'],
  summary: "The server's log lines, as a stream",
  description:
    'The last lines the server logged (redacted as the logs are), then, with `follow=true`, each new one as it is written; one JSON log line per SSE event. Platform admins only: the logs cover every tenant. `agentd log tail` reads this.',
  permission: 'logs:read',
  request: { query: LogTailQuerySchema },
  responses: {
    200: {
      description: 'One log line per event.',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
  },
});

export function logRoutes() {
  return newRouter().openapi(tailRoute, (c) => {
    const query = c.req.valid('query');
    const { logger, config } = c.get('services');
    const tail = logTailOf(logger);
    const filter: LogFilter = { request_id: query.request_id, tenant: query.tenant, level: query.level };
    return streamSSE(c, async (stream) => {
      const recent = (tail?.recent() ?? []).filter((line) => matchesFilter(line, filter));
      for (const line of query.lines === 0 ? [] : recent.slice(-query.lines))
        await stream.writeSSE({ data: line });
      if (query.follow !== 'true' || !tail) return;
      // Lines written while one is being sent wait their turn; the stream ends when the client goes.
      const pending: string[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = tail.subscribe((line) => {
        if (!matchesFilter(line, filter)) return;
        pending.push(line);
        wake?.();
      });
      const heartbeat = setInterval(() => {
        void stream.write(': keep-alive\n\n').catch(() => undefined);
      }, config.AGENTD_SSE_HEARTBEAT_MS);
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      try {
        while (open) {
          const line = pending.shift();
          if (line !== undefined) await stream.writeSSE({ data: line });
          else await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  }) as ReturnType<typeof newRouter>;
}
