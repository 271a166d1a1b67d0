import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import type * as JsonExporterModule from '@opentelemetry/exporter-trace-otlp-http';
import type * as ProtobufExporterModule from '@opentelemetry/exporter-trace-otlp-proto';
import type * as InstrumentationModule from '@opentelemetry/instrumentation';
import type * as PgInstrumentationModule from '@opentelemetry/instrumentation-pg';
import type * as ResourcesModule from '@opentelemetry/resources';
import type * as TraceBaseModule from '@opentelemetry/sdk-trace-base';
import type * as TraceNodeModule from '@opentelemetry/sdk-trace-node';
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config/schema.js';
import { clientSpans } from './client-span.js';
import { watchResponses } from './request-span.js';
import { serverSpans } from './server-span.js';

/** Tracing as this process has it: on (exporting over OTLP/HTTP) or off. */
export interface Tracing {
  /** Sends the spans ended so far. */
  flush(): Promise<void>;
  /** The HTTP server span of each request, as the app's first middleware. */
  serverSpans: MiddlewareHandler;
}

let started: Tracing | undefined;

/** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or OTEL_EXPORTER_OTLP_ENDPOINT's /v1/traces. */
export function tracesEndpoint(config: Config): string | undefined {
  if (config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * The standard instrumentations turned off by `OTEL_NODE_DISABLED_INSTRUMENTATIONS`
 * (comma-separated, as @opentelemetry/auto-instrumentations-node reads it):
 * `pg` (a span per SQL statement and pool checkout), `undici` (an HTTP client
 * span per outgoing request other than a model call's, client-span.ts); the full package name
 * (`@opentelemetry/instrumentation-pg`) works too.
 */
export function disabledInstrumentations(value: string | undefined): Set<string> {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().replace(/^@opentelemetry\/instrumentation-/, ''));
  return new Set(names.filter(Boolean));
}

/** How spans are encoded: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else protobuf. */
export function tracesProtocol(config: Config): 'http/protobuf' | 'http/json' {
  return config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
}

/**
 * Turns tracing on for the whole process when an OTLP endpoint is set:
 * a tracer provider exporting over OTLP/HTTP (protobuf, or JSON) in batches, the W3C trace
 * context propagator, server spans from the app's middleware, client spans
 * of outgoing HTTP (undici and fetch) from undici's diagnostics channels,
 * and the standard instrumentation of PostgreSQL (pg). The SDK reads the other OTEL_* variables itself
 * (service name and resource attributes, headers, time-out, sampler, batch
 * sizes). Without an endpoint
 * nothing is registered and the API stays a no-op. Once per process: a
 * second server in the same process shares the first one's.
 */
export function startTracing(config: Config): Tracing | undefined {
  const endpoint = tracesEndpoint(config);
  if (!endpoint) return undefined;
  if (started) return started;
  // The SDK is loaded only when tracing is on: about a second of module loading otherwise paid
  // by every process (and every test file) that traces nothing. @opentelemetry/api keeps its
  // global registration in one place, so the SDK's CommonJS build and the API's ES build agree.
  const require = createRequire(import.meta.url);
  // Protobuf unless JSON is asked for: about half the encoding time and bytes a span (ADR-0034, round 4).
  const { OTLPTraceExporter } =
    tracesProtocol(config) === 'http/json'
      ? (require('@opentelemetry/exporter-trace-otlp-http') as typeof JsonExporterModule)
      : (require('@opentelemetry/exporter-trace-otlp-proto') as typeof ProtobufExporterModule);
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof InstrumentationModule;
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof PgInstrumentationModule;
  const { detectResourcesSync, envDetectorSync, Resource } =
    require('@opentelemetry/resources') as typeof ResourcesModule;
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof TraceBaseModule;
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof TraceNodeModule;
  const resource = new Resource({ 'service.name': 'agentd' }).merge(
    detectResourcesSync({ detectors: [envDetectorSync] }),
  );
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const disabled = disabledInstrumentations(process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: disabled.has('pg') ? [] : [new PgInstrumentation({ requireParentSpan: true })],
  });
  // Outgoing HTTP: a client span per request made for a traced request or run (background fetches
  // start no traces of their own), from undici's diagnostics channels (client-span.ts, ADR-0049);
  // with `undici` disabled, no span but the trace context still sent on.
  clientSpans(trace.getTracer('agentd'), !disabled.has('undici'));
  if (!disabled.has('pg')) withoutPoolCheckoutSpans();
  // The status of the requests whose span is a model call's chat span (request-span.ts).
  watchResponses();
  patchLoadedModules();
  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    serverSpans: serverSpans(trace.getTracer('agentd')),
  };
  started = tracing;
  return tracing;
}

/**
 * The instrumentations patch a module when it is next required; agentd's
 * modules (ES modules) imported pg before tracing could start.
 * Requiring them once more patches the objects everyone already holds
 * (prototypes and module exports are shared), with no loader hook needed.
 */
function patchLoadedModules(): void {
  try {
    createRequire(import.meta.url)('pg');
    requireFromPg('pg-pool');
  } catch {
    // pg not installed here: nothing to patch.
  }
}

/** pg-pool is pg's dependency, not ours: resolve it from where pg is. */
function requireFromPg(name: string): unknown {
  const pg = createRequire(import.meta.url).resolve('pg');
  return createRequire(pg)(name);
}

/**
 * pg's instrumentation makes a `pg-pool.connect` span for every checkout of
 * a pooled connection, that is for every query on the pool: on PostgreSQL
 * about 23 of a run's 60 spans in the tracing test's run (12 its own, 48 the
 * database's), each saying only that a connection was handed out. Newer
 * releases of the instrumentation have `ignoreConnectSpans` for this; 0.51
 * (the Node 20 line) has not, so the pool's `connect` is given back its
 * original (ADR-0049) with the one other thing the instrumentation's wrapper
 * did: a checkout's callback runs in the context of the caller. A full pool
 * calls a waiting checkout back from another request's release, and without
 * the binding that query's spans would join the other request's trace.
 * Queries keep their spans, and a new client's `pg.connect` (a real
 * connection opened) keeps its own.
 */
function withoutPoolCheckoutSpans(): void {
  type Connect = ((this: unknown, callback?: unknown) => unknown) & { __original?: Connect };
  try {
    const pool = (requireFromPg('pg-pool') as { prototype: { connect: Connect } }).prototype;
    const original = pool.connect.__original;
    if (!original) return;
    pool.connect = function connect(this: unknown, callback?: unknown) {
      const bound = typeof callback === 'function' ? context.bind(context.active(), callback) : callback;
      return original.call(this, bound);
    };
  } catch {
    // pg-pool not installed here: no pool to patch.
  }
}
