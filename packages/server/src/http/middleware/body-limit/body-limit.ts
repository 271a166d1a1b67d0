import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit';
import { AgentdError } from '../../../errors.js';

/**
 * Refuses request bodies larger than `maxSize` bytes. A body that declares
 * its length is judged by the header alone: Hono's own limit reads the body
 * through a web stream, which costs a Request object per call and the
 * Node adapter's fast path for reading JSON. A chunked body goes to it;
 * GET and HEAD carry none.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler {
  const refuse = (): never => {
    throw new AgentdError(
      'too_large',
      'body_too_large',
      `The request body is larger than ${maxSize} bytes (AGENTD_BODY_LIMIT).`,
    );
  };
  const streaming = streamingBodyLimit({ maxSize, onError: refuse });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next);
    return Number.parseInt(length, 10) > maxSize ? refuse() : next();
  };
}
