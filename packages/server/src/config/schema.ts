import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A whole number written in decimal digits, within [min, max]; anything else gets `expected`. */
const wholeNumber = (expected: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string({ message: expected })
    .trim()
    .regex(/^\d+$/, expected)
    .transform(Number)
    .pipe(z.number().min(min, expected).max(max, expected));

const port = wholeNumber('expected a port number from 0 to 65535', 0, 65535);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const byteSize = wholeNumber('expected a size of at least 1024 bytes', 1024);
const milliseconds = wholeNumber('expected a whole number of milliseconds, at least 1', 1);

/**
 * Every setting, keyed by its environment variable. A config file uses the
 * same keys. Defaults here are the embedded defaults.
 */
export const configSchema = z.object({
  AGENTD_PORT: port.default(8787),
  AGENTD_HOST: z.string().min(1, 'expected a host name or address').default('127.0.0.1'),
  AGENTD_DATA_DIR: z.string().min(1, 'expected a directory path').default('.agentd'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  OPENAI_BASE_URL: url(['http:', 'https:']).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  AGENTD_DEFAULT_MODEL: z.string().min(1, 'expected a model name').optional(),
  AGENTD_ADMIN_KEY: z
    .string()
    .min(16, 'expected a string of at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII characters without spaces')
    .optional(),
  AGENTD_LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  AGENTD_BODY_LIMIT: byteSize.default(4 * 1024 * 1024),
  AGENTD_MODEL_API: z.enum(['chat', 'responses'], { message: 'expected chat or responses' }).default('chat'),
  AGENTD_MODEL_TIMEOUT_MS: milliseconds.default(60_000),
  AGENTD_MODEL_IDLE_TIMEOUT_MS: milliseconds.default(60_000),
  AGENTD_MODEL_MAX_RETRIES: wholeNumber('expected a whole number from 0 to 10', 0, 10).default(3),
  AGENTD_CONTEXT_TOKENS: wholeNumber('expected a token count of at least 256', 256).default(32_000),
  AGENTD_TOOL_TIMEOUT_MS: milliseconds.default(30_000),
  AGENTD_SSE_HEARTBEAT_MS: milliseconds.default(15_000),
  AGENTD_TOOL_DIR: z.string().min(1, 'expected a directory path').optional(),
  AGENTD_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes in base64 (44 characters)')
    .optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];
