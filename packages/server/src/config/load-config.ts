import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentdError } from '../errors.js';
import { CONFIG_KEYS, type Config, configSchema } from './schema.js';

export type Env = Record<string, string | undefined>;

/**
 * Reads the configuration: the optional JSON file named by AGENTD_CONFIG
 * first, then environment variables over it. Throws one AgentdError whose
 * message is a single line naming the variable and what was expected.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const raw: Record<string, unknown> = {};
  const file = env.AGENTD_CONFIG;
  if (file !== undefined && file !== '') Object.assign(raw, readConfigFile(resolve(cwd, file)));
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'configuration');
    const got = key in raw ? ` (got ${JSON.stringify(redactIfSecret(key, raw[key]))})` : '';
    throw new AgentdError(
      'invalid_request',
      'invalid_config',
      `${key}: ${issue?.message ?? 'invalid value'}${got}`,
      {
        param: key,
      },
    );
  }
  const config = parsed.data;
  refuseRoleWithoutScaledMode(config);
  return {
    ...config,
    AGENTD_DATA_DIR: resolve(cwd, config.AGENTD_DATA_DIR),
    ...(config.AGENTD_WEB_DIR ? { AGENTD_WEB_DIR: resolve(cwd, config.AGENTD_WEB_DIR) } : {}),
  };
}

/**
 * An api-only or worker-only process needs the others it works with: in
 * embedded mode (no DATABASE_URL and REDIS_URL) an api process would queue
 * runs nobody executes, and a worker would take runs from no one.
 */
function refuseRoleWithoutScaledMode(config: Config): void {
  if (config.AGENTD_ROLE === 'all' || (config.DATABASE_URL && config.REDIS_URL)) return;
  const missing = (['DATABASE_URL', 'REDIS_URL'] as const).filter((key) => !config[key]).join(' and ');
  throw new AgentdError(
    'invalid_request',
    'invalid_config',
    `AGENTD_ROLE: ${config.AGENTD_ROLE} needs scaled mode (set ${missing}); in embedded mode one process serves the API and runs the runs, so leave AGENTD_ROLE unset (all)`,
    { param: 'AGENTD_ROLE' },
  );
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgentdError(
      'invalid_request',
      'invalid_config',
      `AGENTD_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        param: 'AGENTD_CONFIG',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // The parser's own message quotes the file, which may hold a secret and span lines: report only where.
    throw new AgentdError(
      'invalid_request',
      'invalid_config',
      `AGENTD_CONFIG: ${path} is not valid JSON${jsonErrorPlace(text, error)}`,
      {
        param: 'AGENTD_CONFIG',
      },
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AgentdError(
      'invalid_request',
      'invalid_config',
      `AGENTD_CONFIG: ${path} must hold a JSON object`,
      {
        param: 'AGENTD_CONFIG',
      },
    );
  }
  const unknown = Object.keys(data).filter((key) => !(CONFIG_KEYS as string[]).includes(key));
  if (unknown.length > 0) {
    throw new AgentdError(
      'invalid_request',
      'invalid_config',
      `AGENTD_CONFIG: unknown setting ${unknown[0]} in ${path}; known settings are ${CONFIG_KEYS.join(', ')}`,
      {
        param: 'AGENTD_CONFIG',
      },
    );
  }
  // Numbers and booleans in the file are accepted as their string forms, like env values.
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') settings[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') settings[key] = String(value);
    else {
      throw new AgentdError(
        'invalid_request',
        'invalid_config',
        `${key}: expected a string, number or boolean in ${path}`,
        {
          param: key,
        },
      );
    }
  }
  return settings;
}

const SECRET_KEYS = new Set([
  'OPENAI_API_KEY',
  'AGENTD_ADMIN_KEY',
  'AGENTD_METRICS_KEY',
  'AGENTD_MASTER_KEY',
  'AGENTD_MASTER_KEY_PREVIOUS',
  'AGENTD_PASETO_SECRET_KEY',
  'AGENTD_EMBEDDINGS_API_KEY',
  'AGENTD_SAFETY_JUDGE_API_KEY',
  'S3_SECRET_ACCESS_KEY',
  'DATABASE_URL',
  'REDIS_URL',
]);

function redactIfSecret(key: string, value: unknown): unknown {
  return SECRET_KEYS.has(key) ? '[redacted]' : value;
}

/** " at line L, column C" from a JSON.parse error, or nothing when the parser does not say. */
function jsonErrorPlace(text: string, error: unknown): string {
  const match = /position (\d+)/.exec((error as Error).message);
  if (!match) return '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
