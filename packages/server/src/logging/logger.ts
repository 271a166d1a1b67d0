import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';
import { attachLogTail, LogTail } from './log-tail.js';

/** Paths that could hold a secret. Nothing logs them on purpose; this is the safety net. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'api_key',
  '*.api_key',
  'apiKey',
  '*.apiKey',
  'value',
  '*.value',
  'password',
  '*.password',
  'OPENAI_API_KEY',
  'AGENTD_ADMIN_KEY',
  '*.OPENAI_API_KEY',
  '*.AGENTD_ADMIN_KEY',
];

/** The active span's ids, so that a line can be found from its trace and the other way round. */
function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * Structured JSON logs, one object per line, on stdout unless another
 * destination is given. A line written while a span is active (tracing on)
 * carries `trace_id` and `span_id`. The last lines are kept for `logTailOf`.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  // The lines also feed a ring buffer (GET /v1/logs/tail), after redaction: the tail shows what the logs hold.
  const tail = new LogTail();
  const streams = pino.multistream([
    { level: 'trace', stream: destination ?? pino.destination(1) },
    { level: 'trace', stream: { write: (line: string) => tail.push(line) } },
  ]);
  const logger = pino(
    {
      level,
      base: { service: 'agentd' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceIds,
    },
    streams,
  );
  attachLogTail(logger, tail);
  return logger;
}
