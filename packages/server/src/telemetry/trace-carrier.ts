import {
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/**
 * A trace context as W3C headers (`traceparent`, `tracestate`), stored with a
 * run so that its spans join the trace of the request that created it, in
 * whichever process executes it.
 */
export type TraceCarrier = Record<string, string>;

/**
 * The current trace context, when a span is active (tracing on); else
 * undefined. A sampled-out request's context is kept too (its `traceparent`
 * says "not sampled"), so that its run follows the request's decision instead
 * of being sampled again as a trace of its own.
 */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const span = trace.getActiveSpan();
  if (!span || !isSpanContextValid(span.spanContext())) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a stored carrier names; the root context when there is none. */
export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** Whether a stored carrier names a trace its creator chose not to record (sampled out). */
export function isSampledOut(parent: Context): boolean {
  const span = trace.getSpanContext(parent);
  return span !== undefined && isSpanContextValid(span) && (span.traceFlags & TraceFlags.SAMPLED) === 0;
}
