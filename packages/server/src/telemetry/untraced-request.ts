import {
  type Context,
  context,
  isSpanContextValid,
  propagation,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import type { UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { recordRequest, requestSpanOf } from './request-span.js';

/**
 * Whether an outgoing request gets no client span of its own (client-span.ts),
 * decided first, before any attribute is built.
 *
 * - No trace context active (background fetches, untraced work): ignored;
 *   with `requireParentforSpans` it would have had no span and no header.
 * - A sampled-out context (the caller's or the sampler's decision): ignored,
 *   after its `traceparent` (flagged `-00`) is added here, so that the
 *   service called still follows the decision. The instrumentation would have
 *   made a span that records nothing, under a fresh id, to send the same flag.
 * - A context whose span is the request's own client span (a model call's
 *   `chat` span, `request-span.ts`): ignored, after that span's
 *   `traceparent` is added and the request's HTTP attributes put on it.
 * - Otherwise (a tool's request, say): its client span is made (client-span.ts).
 */
export function untracedRequest(request: UndiciRequest): boolean {
  const active = context.active();
  const span = trace.getSpanContext(active);
  if (!span || !isSpanContextValid(span)) return true;
  const sampled = (span.traceFlags & TraceFlags.SAMPLED) !== 0;
  // Only while that span is the active one: a span opened under it has requests of its own.
  const own = sampled ? requestSpanOf(active) : undefined;
  if (sampled && (!own || trace.getSpan(active) !== own)) return false;
  injectContext(request, active);
  if (own) recordRequest(own, request);
  return true;
}

/**
 * With undici's instrumentation turned off (`OTEL_NODE_DISABLED_INSTRUMENTATIONS`
 * naming `undici`), a subscriber of `undici:request:create`: a request that
 * would have had a span of its own gets none, but still carries its trace
 * context on (the `traceparent` of the span it is made in, a tool's
 * `execute_tool` say); the others are handled as `untracedRequest` does.
 */
export function propagateOnly(request: UndiciRequest): void {
  if (!untracedRequest(request)) injectContext(request, context.active());
}

/** The context's `traceparent` (and `tracestate`) onto the request. */
export function injectContext(request: UndiciRequest, active: Context): void {
  const headers: Record<string, string> = {};
  propagation.inject(active, headers);
  for (const [name, value] of Object.entries(headers)) addHeader(request, name, value);
}

/** As the instrumentation adds its headers, for each undici line it supports. */
function addHeader(request: UndiciRequest, name: string, value: string): void {
  if (typeof request.addHeader === 'function') request.addHeader(name, value);
  else if (typeof request.headers === 'string') request.headers += `${name}: ${value}\r\n`;
  else if (Array.isArray(request.headers)) request.headers.push(name, value);
}
