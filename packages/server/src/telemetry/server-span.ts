import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/**
 * Probes and scrapes are not traced: they would drown the traces of real
 * requests. Nor is an OTLP intake in the same process (a test's receiver):
 * each export would make a span to export.
 */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/v1/traces']);

const headers: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

/**
 * The HTTP server span of each request (the conventions' `http.*`
 * attributes), made by the framework rather than by instrumenting node:http:
 * a span, the caller's `traceparent` and a handful of attributes, where the
 * instrumentation also wraps every listener of the request and response and
 * computes dozens of attributes (ADR-0034). Named `METHOD /route/{pattern}`
 * once the route is known, never by the path with its ids. A streamed
 * response's span ends when its headers are sent; the run it started has its
 * own span.
 */
export function serverSpans(tracer: Tracer): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (UNTRACED_PATHS.has(path)) return next();
    const method = c.req.method;
    const raw = c.req.raw.headers;
    const parent = raw.has('traceparent') ? propagation.extract(ROOT_CONTEXT, raw, headers) : ROOT_CONTEXT;
    const attributes: Attributes = {
      'http.request.method': method,
      'url.path': path,
      'url.scheme': c.req.url.startsWith('https:') ? 'https' : 'http',
    };
    const agent = raw.get('user-agent');
    if (agent) attributes['user_agent.original'] = agent;
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = routePath(c, -1);
      const status = c.res.status;
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
      span.updateName(`${method} ${route}`);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
