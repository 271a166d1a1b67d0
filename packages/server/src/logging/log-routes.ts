import { LogTailQuerySchema } from '@agentd/spec/wire';
import { streamSSE } from 'hono/streaming';
import { defineRoute } from '../http/define-route.js';
import { newRouter } from '../http/router.js';
import { keepAlive } from '../http/sse-keep-alive.js';
import { FollowQueue } from './follow-queue.js';
import { type LogFilter, logTailOf, matchesFilter } from './log-tail.js';

/** How much a follower may have waiting (characters of log lines) before it is dropped as too slow. */
export const FOLLOW_QUEUE_CHARS = 1_000_000;

const tailRoute = defineRoute({
  method: 'get',
  path: '/v1/logs/tail',
  tags: ['Logs'],
  summary: "The server's log lines, as a stream",
  description:
    'The last lines the server logged (redacted as the logs are), then, with `follow=true`, each new one as it is written; one JSON log line per SSE event. A follower that falls too far behind gets a `dropped` event and the stream ends. Platform admins only: the logs cover every tenant. `agentd log tail` reads this.',
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
    const { logger, config, metrics } = c.get('services');
    const tail = logTailOf(logger);
    const filter: LogFilter = { request_id: query.request_id, tenant: query.tenant, level: query.level };
    return streamSSE(c, async (stream) => {
      const recent = (tail?.recent() ?? []).filter((line) => matchesFilter(line, filter));
      for (const line of query.lines === 0 ? [] : recent.slice(-query.lines))
        await stream.writeSSE({ data: line });
      if (query.follow !== 'true' || !tail) return;
      // Lines written while one is being sent wait their turn, up to a bound; the stream ends when the client goes.
      const queue = new FollowQueue(FOLLOW_QUEUE_CHARS);
      const unsubscribe = tail.subscribe((line) => {
        if (matchesFilter(line, filter)) queue.push(line);
      });
      stream.onAbort(() => queue.close());
      const closed = metrics.streamOpened();
      const stopKeepAlive = keepAlive(stream, config.AGENTD_SSE_HEARTBEAT_MS);
      try {
        for (let line = await queue.next(); line !== undefined; line = await queue.next())
          await stream.writeSSE({ data: line });
        if (queue.overflowed) {
          await stream.writeSSE({
            event: 'dropped',
            data: JSON.stringify({
              message: `this reader fell more than ${FOLLOW_QUEUE_CHARS} characters of log lines behind; the tail stopped. Narrow it with a filter, or read faster.`,
            }),
          });
        }
      } finally {
        stopKeepAlive();
        closed();
        unsubscribe();
      }
    });
  }) as ReturnType<typeof newRouter>;
}
