import type { SSEStreamingApi } from 'hono/streaming';
import { HeartbeatWheel } from './sse/heartbeat-wheel.js';

/**
 * Writes an SSE comment line every `ms` while a stream is open, so that
 * proxies do not close a stream that is quiet (a tool working, no log lines);
 * clients skip comments. The process's one HeartbeatWheel times them.
 * Returns the stop, for the stream's `finally`.
 */
export function keepAlive(stream: SSEStreamingApi, ms: number): () => void {
  return HeartbeatWheel.every(ms).add({
    beat: () => void stream.write(': keep-alive\n\n').catch(() => undefined),
  });
}
