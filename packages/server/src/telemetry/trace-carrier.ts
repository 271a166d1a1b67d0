import { type Context, context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';

/**
 * A trace context as W3C headers (`traceparent`, `tracestate`), stored with a
 * run so that its spans join the trace of the request that created it, in
 * whichever process executes it.
 */
export type TraceCarrier = Record<string, string>;

/** The current trace context, when a sampled span is active (tracing on); else undefined. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a stored carrier names; the root context when there is none. */
export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}
