import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StatusSchema } from '@agentd/spec/wire';
import { serveMetrics } from '../metrics/metrics-endpoint.js';
import { jsonContent } from './define-route.js';
import { readiness } from './readiness.js';
import { routeGroup } from './route-group.js';
import { newRouter } from './router.js';

const routes = routeGroup({ tags: ['Service'], read: null, write: null });
const healthz = routes.read('get', '/healthz', {
  summary: 'Liveness: the process serves requests',
  responses: { 200: jsonContent(StatusSchema, 'Alive.') },
});

const readyz = routes.read('get', '/readyz', {
  summary: 'Readiness: the database is reachable and migrated; in scaled mode, Redis and the run queue too',
  responses: {
    200: jsonContent(StatusSchema, 'Ready.'),
    503: jsonContent(StatusSchema, 'Not ready; `checks` says why.'),
  },
});

const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agentd API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: true, validatorUrl: null });
</script>
</body>
</html>`;

/** Liveness, readiness and metrics: all a worker process serves (AGENTD_ROLE=worker). */
export function probeRoutes() {
  const router = newRouter()
    .openapi(healthz, (c) => c.json({ status: 'ok' }, 200))
    .openapi(readyz, async (c) => {
      const { ready, checks } = await readiness(c.get('services'));
      return ready ? c.json({ status: 'ok', checks }, 200) : c.json({ status: 'unavailable', checks }, 503);
    });
  // Prometheus's text format, public like the probes unless AGENTD_METRICS_KEY: no tenant, id or credential in it.
  router.get('/metrics', (c) => {
    const { metrics, config } = c.get('services');
    return serveMetrics(c, metrics, config, false);
  });
  return router;
}

/** Liveness, readiness, the generated OpenAPI document and the API reference page (all public); / is the web UI (web-ui.ts). */
export function serviceRoutes() {
  const router = probeRoutes();
  router.get('/docs', (c) => c.html(DOCS_PAGE));
  router.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    const type = SWAGGER_ASSETS[file];
    if (!type) return c.notFound();
    return c.body(readFileSync(join(SWAGGER_DIR, file)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
  return router;
}
