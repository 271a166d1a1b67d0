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

/** Structured JSON logs, one object per line, on stdout unless another destination is given. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'agentd' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
