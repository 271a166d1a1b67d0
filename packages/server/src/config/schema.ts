import { parseNetworkRules } from '@agentd/net-policy';
import { LimitSettingsSchema, SafetySettingSchema } from '@agentd/spec/wire';
import { z } from 'zod';
import { ModelPricesSchema } from '../usage/price-table.js';

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
/** A switch: on/off (true/false, 1/0 also accepted). */
const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'], { message: 'expected on or off' })
  .transform((value) => value === 'on' || value === 'true' || value === '1');
/**
 * Network rules, comma- or space-separated (host names, `*.domain`, IP
 * addresses, CIDR ranges, each with an optional port): the list of entries,
 * each checked here, so a bad rule is a configuration error at start.
 */
const networkRules = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const entries = text.split(/[\s,]+/).filter(Boolean);
    try {
      parseNetworkRules(entries);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return entries;
  });
const milliseconds = wholeNumber('expected a whole number of milliseconds, at least 1', 1);
/** A safety setting, as JSON in the shape of an agent's `safety` field. */
const safetySetting = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: "expected JSON in the shape of an agent's safety setting" });
      return z.NEVER;
    }
  })
  .pipe(SafetySettingSchema);

/**
 * A JSON document (a string in the environment, JSON itself in a config file)
 * checked against `schema`; a mistake is named by its path in the document.
 */
const jsonDocument = <T extends z.ZodType>(schema: T, expected: string) =>
  z.unknown().transform((value, ctx): z.output<T> => {
    let document = value;
    if (typeof value === 'string') {
      try {
        document = JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected JSON: ${expected}` });
        return z.NEVER;
      }
    }
    const parsed = schema.safeParse(document);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const at = issue?.path.map(String).join('.');
    ctx.addIssue({ code: 'custom', message: `${at ? `${at}: ` : ''}${issue?.message ?? 'invalid'}` });
    return z.NEVER;
  });

/**
 * Every setting, keyed by its environment variable. A config file uses the
 * same keys. Defaults here are the embedded defaults.
 */
export const configSchema = z.object({
  AGENTD_PORT: port.default(8787),
  AGENTD_HOST: z.string().min(1, 'expected a host name or address').default('127.0.0.1'),
  AGENTD_DATA_DIR: z.string().min(1, 'expected a directory path').default('.agentd'),
  /** The built web UI served at / (default: apps/web/dist of this checkout). */
  AGENTD_WEB_DIR: z.string().min(1, 'expected a directory path').optional(),
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
  AGENTD_STRUCTURED_OUTPUT_RETRIES: wholeNumber('expected a whole number from 0 to 5', 0, 5).default(1),
  AGENTD_TOOL_TIMEOUT_MS: milliseconds.default(30_000),
  AGENTD_STORAGE_RETRY_MS: wholeNumber('expected milliseconds from 0 to 600000', 0, 600_000).default(5_000),
  // The audit log (README: Reading the audit log): off leaves runs' events out of it (admin changes stay); for benchmarks.
  AGENTD_AUDIT_RUNS: onOff.default(true),
  // Refused logins and policy denials anyone can cause: audited at most this many of a type per tenant and window.
  AGENTD_AUDIT_REFUSALS_PER_WINDOW: wholeNumber(
    'expected a whole number from 1 to 100000',
    1,
    100_000,
  ).default(30),
  AGENTD_AUDIT_REFUSAL_WINDOW_SECONDS: wholeNumber('expected seconds from 1 to 86400', 1, 86_400).default(60),
  AGENTD_SSE_HEARTBEAT_MS: milliseconds.default(15_000),
  // The run runtime (README: Scaled mode).
  AGENTD_ROLE: z.enum(['all', 'api', 'worker'], { message: 'expected all, api or worker' }).default('all'),
  // Observability: traces go over OTLP/HTTP when an endpoint is set (the SDK reads the other OTEL_* variables).
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
  /** OTLP/HTTP's encoding (the traces variable wins); unset, protobuf, the specification's default. */
  OTEL_EXPORTER_OTLP_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { message: 'expected http/protobuf or http/json' })
    .optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z
    .enum(['http/protobuf', 'http/json'], { message: 'expected http/protobuf or http/json' })
    .optional(),
  /** Spans carry prompts, answers, tool arguments and results: off by default. */
  AGENTD_TRACE_CONTENT: onOff.default(false),
  /** Serve /metrics on this port only (not on the API's). */
  AGENTD_METRICS_PORT: port.optional(),
  /** /metrics requires `Authorization: Bearer <key>`. */
  AGENTD_METRICS_KEY: z.string().min(16, 'expected a key of at least 16 characters').optional(),
  AGENTD_RUN_LEASE_MS: wholeNumber('expected milliseconds from 1000 to 600000', 1000, 600_000).default(
    10_000,
  ),
  AGENTD_RUN_MAX_CLAIMS: wholeNumber('expected a whole number from 1 to 100', 1, 100).default(3),
  AGENTD_WORKER_CONCURRENCY: wholeNumber('expected a whole number from 1 to 1024', 1, 1024).default(64),
  AGENTD_REDIS_PREFIX: z
    .string()
    .min(1, 'expected a key prefix, e.g. agentd:')
    .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII characters without spaces')
    .default('agentd:'),
  AGENTD_DRAIN_TIMEOUT_MS: wholeNumber('expected milliseconds from 0 to 3600000', 0, 3_600_000).default(
    25_000,
  ),
  AGENTD_TOOL_DIR: z.string().min(1, 'expected a directory path').optional(),
  AGENTD_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes in base64 (44 characters)')
    .optional(),
  // Built-in tools (README: Built-in tools).
  AGENTD_CODE_INTERPRETER: onOff.default(true),
  AGENTD_CODE_INTERPRETER_CPYTHON: z
    .enum(['auto', 'on', 'off'], { message: 'expected auto, on or off' })
    .default('auto'),
  AGENTD_CODE_INTERPRETER_POOL_SIZE: wholeNumber('expected a whole number from 0 to 16', 0, 16).optional(),
  AGENTD_CODE_INTERPRETER_POOL_MAX: wholeNumber('expected a whole number from 0 to 32', 0, 32).optional(),
  AGENTD_CODE_INTERPRETER_PREWARM: onOff.default(true),
  AGENTD_BROWSER: onOff.default(true),
  AGENTD_CHROMIUM_PATH: z.string().min(1, 'expected a file path').optional(),
  // How the browser reads a page: Readability in the page Chromium parsed, or in jsdom on the serialised page.
  AGENTD_BROWSER_EXTRACTION: z.enum(['page', 'jsdom'], { message: 'expected page or jsdom' }).default('page'),
  // When the browser reads a page: once network and DOM are quiet (bounded), or after the load event.
  AGENTD_BROWSER_SETTLE: z.enum(['quiet', 'load'], { message: 'expected quiet or load' }).default('quiet'),
  // What an opened page loads: what can change its text (images, styles and fonts wait for a screenshot), or all.
  AGENTD_BROWSER_SUBRESOURCES: z.enum(['text', 'all'], { message: 'expected text or all' }).default('text'),
  // At start (agentd serve): load the browser's modules in the background, also launch Chromium, or nothing.
  AGENTD_BROWSER_PREWARM: z
    .enum(['modules', 'launch', 'off'], { message: 'expected modules, launch or off' })
    .default('modules'),
  AGENTD_FETCH_URL: onOff.default(true),
  AGENTD_WEB_SEARCH: onOff.default(true),
  AGENTD_FILE_SEARCH: onOff.default(true),
  AGENTD_SEARCH_BACKEND: z
    .enum(['searxng', 'brave', 'tavily'], { message: 'expected searxng, brave or tavily' })
    .optional(),
  AGENTD_SEARXNG_URL: url(['http:', 'https:']).optional(),
  AGENTD_BRAVE_API_KEY: z.string().min(1).optional(),
  AGENTD_BRAVE_BASE_URL: url(['http:', 'https:']).optional(),
  AGENTD_TAVILY_API_KEY: z.string().min(1).optional(),
  AGENTD_TAVILY_BASE_URL: url(['http:', 'https:']).optional(),
  AGENTD_NET_ALLOW: networkRules,
  AGENTD_NET_DENY: networkRules,
  // Files, vector stores and memory.
  AGENTD_MASTER_KEY_PREVIOUS: z
    .string()
    .regex(
      /^[A-Za-z0-9+/]{43}=(,[A-Za-z0-9+/]{43}=)*$/,
      'expected comma-separated 32-byte keys in base64 (44 characters each)',
    )
    .optional(),
  AGENTD_OBJECT_STORE: z.enum(['local', 's3'], { message: 'expected local or s3' }).default('local'),
  S3_BUCKET: z.string().min(1, 'expected a bucket name').optional(),
  S3_REGION: z.string().min(1, 'expected a region name').optional(),
  S3_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false'], { message: 'expected true or false' }).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_PREFIX: z.string().optional(),
  AGENTD_FILE_MAX_BYTES: byteSize.default(512 * 1024 * 1024),
  // Links to files (code interpreter images and files, screenshots) that open without an API key.
  AGENTD_PUBLIC_URL: url(['http:', 'https:']).optional(),
  AGENTD_FILE_LINK_TTL_SECONDS: wholeNumber(
    'expected seconds from 60 to 604800 (7 days)',
    60,
    604_800,
  ).default(3600),
  AGENTD_TENANT_STORAGE_QUOTA_BYTES: byteSize.default(10 * 1024 * 1024 * 1024),
  AGENTD_EMBEDDINGS: z
    .enum(['hashing', 'openai'], { message: 'expected hashing or openai' })
    .default('hashing'),
  AGENTD_EMBEDDINGS_BASE_URL: url(['http:', 'https:']).optional(),
  AGENTD_EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  AGENTD_EMBEDDINGS_MODEL: z.string().min(1, 'expected a model name').default('text-embedding-3-small'),
  AGENTD_EMBEDDINGS_DIMENSIONS: wholeNumber('expected a dimension from 16 to 4000', 16, 4000).optional(),
  AGENTD_MEMORY_PII: z.enum(['redact', 'refuse'], { message: 'expected redact or refuse' }).default('redact'),
  AGENTD_MEMORY_TOKENS: wholeNumber('expected a token count from 0 to 8000', 0, 8000).default(400),
  // The safety pipeline's platform default (agents and tenants refine it) and its LLM judge, off without a model.
  AGENTD_SAFETY: onOff.default(true),
  AGENTD_SAFETY_POLICY: safetySetting.optional(),
  AGENTD_SAFETY_JUDGE_MODEL: z.string().min(1, 'expected a model name').optional(),
  AGENTD_SAFETY_JUDGE_BASE_URL: url(['http:', 'https:']).optional(),
  AGENTD_SAFETY_JUDGE_API_KEY: z.string().min(1).optional(),
  AGENTD_PGLITE_BUFFERS_MB: wholeNumber('expected megabytes from 16 to 1024', 16, 1024).default(256),
  // Where embedded PGlite's statements run (ADR-0040): a worker thread, or the server's own.
  AGENTD_PGLITE_THREAD: z.enum(['worker', 'main'], { message: 'expected worker or main' }).default('worker'),
  // Authentication beside API keys (README: Connecting an identity provider).
  AGENTD_OIDC_ISSUER: url(['http:', 'https:']).optional(),
  AGENTD_OIDC_AUDIENCE: z.string().min(1, 'expected the audience tokens carry').optional(),
  AGENTD_OIDC_TENANT_CLAIM: z.string().min(1, 'expected a claim name').default('agentd_tenant'),
  AGENTD_OIDC_ALLOW_HTTP: onOff.default(false),
  AGENTD_OIDC_JWKS_REFRESH_SECONDS: wholeNumber('expected seconds from 0 to 3600', 0, 3600).default(30),
  AGENTD_TOKEN_CLOCK_SKEW_SECONDS: wholeNumber('expected seconds from 0 to 300', 0, 300).default(30),
  AGENTD_PASETO_SECRET_KEY: z
    .string()
    .regex(/^k4\.secret\.[A-Za-z0-9_-]{86}$/, 'expected a PASERK k4.secret key')
    .optional(),
  AGENTD_PASETO_PUBLIC_KEYS: z
    .string()
    .regex(
      /^\s*k4\.public\.[A-Za-z0-9_-]{43}(\s*,\s*k4\.public\.[A-Za-z0-9_-]{43})*\s*$/,
      'expected comma-separated PASERK k4.public keys',
    )
    .optional(),
  AGENTD_SESSION_TOKEN_TTL_SECONDS: wholeNumber('expected seconds from 60 to 86400', 60, 86_400).default(900),
  // Limits and budgets (README: Limits and budgets): the defaults every tenant gets, and model prices.
  AGENTD_LIMITS: jsonDocument(LimitSettingsSchema, 'rate_limits, tool_quotas and budgets').optional(),
  AGENTD_MODEL_PRICES: jsonDocument(
    ModelPricesSchema,
    'model names to {"input": …, "output": …} in US dollars per million tokens',
  ).optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];
