import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { Config } from '../config/schema.js';
import { AgentdError } from '../errors.js';
import { errorResponse } from '../http/error-response.js';
import type { Metrics } from './metrics.js';

/**
 * GET /metrics: Prometheus's text format. Public like the probes unless
 * AGENTD_METRICS_KEY is set (then `Authorization: Bearer <key>`); on the API's
 * port unless AGENTD_METRICS_PORT moves it to a port of its own.
 */
export async function serveMetrics(
  c: Context,
  metrics: Metrics,
  config: Config,
  onMetricsPort: boolean,
): Promise<Response> {
  if (config.AGENTD_METRICS_PORT !== undefined && !onMetricsPort) {
    return errorResponse(
      c,
      new AgentdError(
        'not_found',
        'route_not_found',
        `Metrics are served on their own port (AGENTD_METRICS_PORT=${config.AGENTD_METRICS_PORT}), not on this one.`,
      ),
    );
  }
  const key = config.AGENTD_METRICS_KEY;
  if (key !== undefined && !bearerMatches(c.req.header('authorization'), key)) {
    return errorResponse(
      c,
      new AgentdError(
        'authentication',
        'invalid_metrics_key',
        'Metrics require the metrics key (AGENTD_METRICS_KEY): send Authorization: Bearer <key>.',
      ),
    );
  }
  const { body, contentType } = await metrics.render();
  return c.body(body, 200, { 'content-type': contentType });
}

function bearerMatches(header: string | undefined, key: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
