import { trace } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { AppEnv } from '../../app-env.js';

/**
 * One structured line per request: id, tenant, method, route pattern, status
 * and duration. Never headers or bodies, so no credential can reach the log.
 */
export function accessLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ request_id: requestId }));
    try {
      await next();
    } finally {
      const principal = c.get('principal');
      const route = routePath(c, -1);
      const ms = performance.now() - started;
      // The HTTP server span (tracing on) is named by the route pattern, never by the path with its ids.
      trace.getActiveSpan()?.setAttribute('http.route', route).updateName(`${c.req.method} ${route}`);
      logger.info(
        {
          request_id: requestId,
          tenant: principal?.tenantId ?? null,
          method: c.req.method,
          route,
          status: c.res.status,
          duration_ms: Math.round(ms * 100) / 100,
        },
        'request',
      );
      c.get('services')?.metrics.observeRequest(c.req.method, route, c.res.status, ms / 1000);
    }
  };
}
