import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label.js';

/** A sandbox pool's size, as the code interpreter reports it. */
export interface SandboxPoolSize {
  warm: number;
  target: number;
  booting: number;
  sessions: number;
  coldStarts: number;
}

export interface MetricsSources {
  /** Runs waiting to be claimed (the queue's depth). */
  queueDepth(): Promise<number>;
  /** Runs this process executes now. */
  runsInProgress(): number;
  /** The code interpreter's pools by runtime (none when it is off or has not started), and browser sessions. */
  sandboxes?(): Promise<{ pools: Record<string, SandboxPoolSize | null>; browserSessions: number | null }>;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LONG_SECONDS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * The process's Prometheus metrics (prom-client): Node's own (memory, event
 * loop delay, GC), requests by route, runs, model and tool calls, streams,
 * sandbox pools, and the runtime's queue depth, which the Helm chart's
 * autoscaler reads as `agentd_run_queue_depth`. No label holds a tenant, an
 * id or a credential; model and tool names are bounded (BoundedLabel).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status'>;
  private readonly runEnds: Counter<'status'>;
  private readonly runDuration: Histogram<'status'>;
  private readonly leaseLosses: Counter;
  private readonly modelCalls: Histogram<'model' | 'outcome'>;
  private readonly firstToken: Histogram<'model'>;
  private readonly tokens: Counter<'model' | 'type'>;
  private readonly toolCalls: Histogram<'tool' | 'status'>;
  private readonly streams: Gauge;
  private readonly models = new BoundedLabel();
  private readonly tools = new BoundedLabel();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'agentd_' });
    this.requests = new Histogram({
      name: 'agentd_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, and how long they took.',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS,
      registers,
    });
    this.runEnds = new Counter({
      name: 'agentd_runs_ended_total',
      help: 'Runs this process executed to an end, by final status.',
      labelNames: ['status'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'agentd_run_duration_seconds',
      help: 'How long executions of runs took here, by how they ended (in_progress: suspended or handed on).',
      labelNames: ['status'],
      buckets: LONG_SECONDS,
      registers,
    });
    this.leaseLosses = new Counter({
      name: 'agentd_run_lease_losses_total',
      help: 'Runs this process lost to another worker mid-execution (its lease expired or was taken).',
      registers,
    });
    this.modelCalls = new Histogram({
      name: 'agentd_model_call_duration_seconds',
      help: 'Model calls by model and outcome (completed or failed), and how long they took.',
      labelNames: ['model', 'outcome'],
      buckets: LONG_SECONDS,
      registers,
    });
    this.firstToken = new Histogram({
      name: 'agentd_model_time_to_first_token_seconds',
      help: 'From the start of a model call to the first streamed text, reasoning or tool-call delta.',
      labelNames: ['model'],
      buckets: SECONDS,
      registers,
    });
    this.tokens = new Counter({
      name: 'agentd_model_tokens_total',
      help: 'Tokens the models read (type="input") and wrote (type="output"), by model.',
      labelNames: ['model', 'type'],
      registers,
    });
    this.toolCalls = new Histogram({
      name: 'agentd_tool_call_duration_seconds',
      help: 'Tool calls by tool and outcome (completed, failed, invalid_arguments, cancelled, denied), and how long they took.',
      labelNames: ['tool', 'status'],
      buckets: SECONDS,
      registers,
    });
    this.streams = new Gauge({
      name: 'agentd_open_streams',
      help: 'Server-sent event streams open now (responses, chat completions, log tails).',
      registers,
    });
    new Gauge({
      name: 'agentd_run_queue_depth',
      help: 'Runs waiting to be claimed by a worker.',
      registers,
      async collect() {
        this.set(await sources.queueDepth().catch(() => Number.NaN));
      },
    });
    new Gauge({
      name: 'agentd_runs_in_progress',
      help: 'Runs this process executes now.',
      registers,
      collect() {
        this.set(sources.runsInProgress());
      },
    });
    if (sources.sandboxes) this.sandboxGauges(sources.sandboxes.bind(sources));
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
  }

  runEnded(status: string): void {
    this.runEnds.inc({ status });
  }

  runExecuted(status: string, seconds: number): void {
    this.runDuration.observe({ status }, seconds);
  }

  leaseLost(): void {
    this.leaseLosses.inc();
  }

  modelCall(model: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.modelCalls.observe({ model: this.models.of(model), outcome }, seconds);
  }

  firstTokenAfter(model: string, seconds: number): void {
    this.firstToken.observe({ model: this.models.of(model) }, seconds);
  }

  tokensUsed(model: string, input: number, output: number): void {
    const label = this.models.of(model);
    this.tokens.inc({ model: label, type: 'input' }, input);
    this.tokens.inc({ model: label, type: 'output' }, output);
  }

  toolCall(tool: string, status: string, seconds: number): void {
    this.toolCalls.observe({ tool: this.tools.of(tool), status }, seconds);
  }

  /** A stream opened; call what it returns when it closes. */
  streamOpened(): () => void {
    this.streams.inc();
    let open = true;
    return () => {
      if (open) this.streams.dec();
      open = false;
    };
  }

  /** The text a Prometheus scrape reads. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  private sandboxGauges(read: NonNullable<MetricsSources['sandboxes']>): void {
    // One read per scrape, shared by the gauges below (each collects on its own).
    let reading: Promise<Awaited<ReturnType<typeof read>> | undefined> | undefined;
    const current = () => {
      reading ??= read()
        .catch(() => undefined)
        .finally(() => setImmediate(() => (reading = undefined)));
      return reading;
    };
    const poolGauge = (name: string, help: string, field: Exclude<keyof SandboxPoolSize, 'coldStarts'>) =>
      new Gauge({
        name,
        help,
        labelNames: ['runtime'],
        registers: [this.registry],
        async collect() {
          const pools = (await current())?.pools ?? {};
          for (const [runtime, pool] of Object.entries(pools)) if (pool) this.set({ runtime }, pool[field]);
        },
      });
    poolGauge('agentd_sandbox_pool_warm', 'Booted, unassigned code interpreters, by runtime.', 'warm');
    poolGauge('agentd_sandbox_pool_target', 'How many code interpreters each pool keeps warm now.', 'target');
    poolGauge('agentd_sandbox_pool_booting', 'Code interpreters booting now, by runtime.', 'booting');
    poolGauge(
      'agentd_sandbox_sessions',
      'Code interpreter sessions holding an interpreter, by runtime.',
      'sessions',
    );
    new Counter({
      name: 'agentd_sandbox_cold_starts_total',
      help: 'Sessions that waited for a boot because the warm pool was empty, by runtime.',
      labelNames: ['runtime'],
      registers: [this.registry],
      async collect() {
        // The pool counts them; the counter shows its count.
        const pools = (await current())?.pools ?? {};
        this.reset();
        for (const [runtime, pool] of Object.entries(pools)) if (pool) this.inc({ runtime }, pool.coldStarts);
      },
    });
    new Gauge({
      name: 'agentd_browser_sessions',
      help: 'Browser sessions (contexts) open in the shared Chromium.',
      registers: [this.registry],
      async collect() {
        const sessions = (await current())?.browserSessions;
        if (typeof sessions === 'number') this.set(sessions);
      },
    });
  }
}
