import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, type Logger, pino } from 'pino';

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
 * carries `trace_id` and `span_id`.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'agentd' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceIds,
    },
    destination,
  );
}
