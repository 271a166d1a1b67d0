import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { AgentdError } from '../errors.js';
import type { Services } from '../services.js';
import type { AppEnv } from './app-env.js';
import { errorResponse, toAgentdError } from './error-response.js';
import { probeRoutes } from './service-routes.js';

/**
 * What a worker process (AGENTD_ROLE=worker) serves on its port: liveness
 * and readiness for its orchestrator, and nothing of the API, which belongs
 * to the api processes.
 */
export function createWorkerApp(services: Services): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use(requestId({ limitLength: 128 }));
  app.use(async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.route('/', probeRoutes());
  app.notFound((c) =>
    errorResponse(
      c,
      new AgentdError(
        'not_found',
        'route_not_found',
        `No route for ${c.req.method} ${c.req.path}: this is a worker process (AGENTD_ROLE=worker), which serves only /healthz, /readyz and /metrics; send API requests to an api process.`,
      ),
    ),
  );
  app.onError((error, c) => {
    const agentdError = toAgentdError(error);
    if (agentdError.category === 'internal') services.logger.error({ err: error }, 'unhandled error');
    return errorResponse(c, agentdError);
  });
  return app;
}
