import { subscribe } from 'node:diagnostics_channel';
import { type Attributes, type Context, createContextKey, type Span } from '@opentelemetry/api';
import type { UndiciRequest } from '@opentelemetry/instrumentation-undici';

/**
 * A span that is itself the HTTP client span of the requests made in its
 * context: a model call's `chat` span (a CLIENT span by the GenAI
 * conventions). Its requests get no span of their own from undici's
 * instrumentation; their `traceparent` names this span, and it carries their
 * HTTP attributes (ADR-0034, round 4).
 */
const REQUEST_SPAN = createContextKey('agentd.request-span');

/** `ctx` in which outgoing requests are `span`'s own. */
export function withRequestSpan(ctx: Context, span: Span): Context {
  return ctx.setValue(REQUEST_SPAN, span);
}

/** The span that outgoing requests in `ctx` belong to, if one was set. */
export function requestSpanOf(ctx: Context): Span | undefined {
  return ctx.getValue(REQUEST_SPAN) as Span | undefined;
}

/** Requests made on a request span's behalf, until their response's status is known. */
const awaiting = new WeakMap<UndiciRequest, Span>();

/**
 * The request's HTTP attributes on its span, as undici's instrumentation
 * would set them on a span of its own: method, server address and port, the
 * URL without its query (a provider's key may ride in it). The response's
 * status follows when its headers arrive (`watchResponses`). A retried
 * request leaves the last attempt's status.
 */
export function recordRequest(span: Span, request: UndiciRequest): void {
  span.setAttributes(httpAttributes(request));
  awaiting.set(request, span);
}

/** A request's method, server address and port, and URL without its query. */
export function httpAttributes(request: UndiciRequest): Attributes {
  const attributes: Attributes = { 'http.request.method': request.method, ...originOf(request.origin) };
  attributes['url.full'] = `${request.origin}${pathOnly(request.path)}`;
  return attributes;
}

let watching = false;

/** Once per process: each recorded request's response status onto its span. */
export function watchResponses(): void {
  if (watching) return;
  watching = true;
  subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = awaiting.get(request);
    if (!span) return;
    awaiting.delete(request);
    span.setAttribute('http.response.status_code', response.statusCode);
  });
}

const origins = new Map<string, Attributes>();

/** `server.address` and `server.port` of an origin (`http://host:port`), parsed once per origin. */
function originOf(origin: string): Attributes {
  let attributes = origins.get(origin);
  if (attributes) return attributes;
  try {
    const url = new URL(origin);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    attributes = { 'server.address': url.hostname, 'server.port': port };
  } catch {
    attributes = {};
  }
  // Model endpoints are a few configured origins; the bound only guards against a surprise.
  if (origins.size >= 64) origins.clear();
  origins.set(origin, attributes);
  return attributes;
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}
