import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Config } from '../config/schema.js';
import type { Metrics } from './metrics.js';
import { serveMetrics } from './metrics-endpoint.js';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** /metrics alone on AGENTD_METRICS_PORT (same host as the API), for a scrape network kept apart from it. */
export async function startMetricsServer(config: Config, metrics: Metrics): Promise<MetricsServer> {
  const app = new Hono();
  app.get('/metrics', (c) => serveMetrics(c, metrics, config, true));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: config.AGENTD_METRICS_PORT ?? 0, hostname: config.AGENTD_HOST },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
