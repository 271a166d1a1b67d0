import type { SSEStreamingApi } from 'hono/streaming';

/**
 * Writes an SSE comment line every `ms` while a stream is open, so that
 * proxies do not close a stream that is quiet (a tool working, no log lines);
 * clients skip comments. Returns the stop, for the stream's `finally`.
 */
export function keepAlive(stream: SSEStreamingApi, ms: number): () => void {
  const timer = setInterval(() => {
    void stream.write(': keep-alive\n\n').catch(() => undefined);
  }, ms);
  return () => clearInterval(timer);
}
