import { z } from 'zod';

/** GET /v1/logs/tail: which of the server's log lines, and whether to follow. */
export const LogTailQuerySchema = z.object({
  follow: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Keep the stream open and send each new line as it is written.' }),
  lines: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(100)
    .meta({ description: 'How many of the last lines kept (up to 1000) to send first.' }),
  request_id: z.string().optional().meta({ description: 'Only the lines of this request.' }),
  tenant: z.string().optional().meta({ description: 'Only the lines of this tenant.' }),
  level: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'])
    .optional()
    .meta({ description: 'Only lines at this level or above.' }),
});

export type LogTailQuery = z.input<typeof LogTailQuerySchema>;
export type LogLevel = NonNullable<LogTailQuery['level']>;
