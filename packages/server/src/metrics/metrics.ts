import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  /** Runs waiting to be claimed (the queue's depth). */
  queueDepth(): Promise<number>;
  /** Runs this process executes now. */
  runsInProgress(): number;
}

/**
 * The process's Prometheus metrics (prom-client): Node's own (memory, event
 * loop lag, GC), requests by route, and the runtime's queue depth, which the
 * Helm chart's autoscaler reads as `agentd_run_queue_depth`. No label holds
 * a tenant, an id or a credential.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly runEnds: Counter<'status'>;

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'agentd_' });
    this.requests = new Histogram({
      name: 'agentd_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, and how long they took.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.runEnds = new Counter({
      name: 'agentd_runs_ended_total',
      help: 'Runs this process executed to an end, by final status.',
      labelNames: ['status'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'agentd_run_queue_depth',
      help: 'Runs waiting to be claimed by a worker.',
      registers: [this.registry],
      async collect() {
        this.set(await sources.queueDepth().catch(() => Number.NaN));
      },
    });
    new Gauge({
      name: 'agentd_runs_in_progress',
      help: 'Runs this process executes now.',
      registers: [this.registry],
      collect() {
        this.set(sources.runsInProgress());
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  runEnded(status: string): void {
    this.runEnds.inc({ status });
  }

  /** The text a Prometheus scrape reads. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
