import { subscribe } from 'node:diagnostics_channel';
import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { httpAttributes } from './request-span.js';
import { injectContext, propagateOnly, untracedRequest } from './untraced-request.js';

/** The client span of each request in flight that has one, until its response ends or it fails. */
const open = new WeakMap<UndiciRequest, Span>();

/**
 * The HTTP client span of each outgoing request (undici and `fetch`) made
 * in a traced context other than a model call's (whose span is its chat
 * span), from undici's diagnostics channels, as `@opentelemetry/instrumentation-undici`
 * makes them but with only the attributes a reader uses: `http.request.method`,
 * `server.address`, `server.port` (parsed once per origin), `url.full`
 * without its query (a key may ride in it) and `http.response.status_code`;
 * an ERROR status from 400 on or when the request fails (`error.type`). The
 * instrumentation also parses each URL, builds a dozen attributes, reads the
 * user agent from the headers, records a duration metric nothing reads and
 * listens on one more channel per request (ADR-0049). With `spans` false
 * (`OTEL_NODE_DISABLED_INSTRUMENTATIONS` naming `undici`) no span is made and
 * the request still carries the trace context on.
 */
export function clientSpans(tracer: Tracer, spans: boolean): void {
  if (!spans) {
    subscribe('undici:request:create', (message) => propagateOnly(requestOf(message)));
    return;
  }
  subscribe('undici:request:create', (message) => start(tracer, requestOf(message)));
  subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = open.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 400) {
      span.setAttribute('error.type', String(response.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  });
  subscribe('undici:request:trailers', (message) => {
    const request = requestOf(message);
    open.get(request)?.end();
    open.delete(request);
  });
  subscribe('undici:request:error', (message) => {
    const { request, error } = message as { request: UndiciRequest; error: unknown };
    const span = open.get(request);
    if (!span) return;
    open.delete(request);
    const name = error instanceof Error ? error.name : 'Error';
    span.setAttribute('error.type', name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : name });
    span.end();
  });
}

function start(tracer: Tracer, request: UndiciRequest): void {
  // Nothing to record (no context, sampled out, a model call's own request): handled there.
  if (request.method === 'CONNECT' || untracedRequest(request)) return;
  const parent = context.active();
  const attributes: Attributes = httpAttributes(request);
  const span = tracer.startSpan(request.method, { kind: SpanKind.CLIENT, attributes }, parent);
  injectContext(request, trace.setSpan(parent, span));
  open.set(request, span);
}

function requestOf(message: unknown): UndiciRequest {
  return (message as { request: UndiciRequest }).request;
}
