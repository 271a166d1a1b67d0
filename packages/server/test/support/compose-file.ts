import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A service of a compose file, as far as the deploy test reads it. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }> | string[];
  stop_grace_period?: string;
  security_opt?: string[];
  ports?: string[];
  profiles?: string[];
}

/** Reads a compose `.env` file: KEY=VALUE lines; # starts a comment line. */
export function readEnvFile(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq === -1) throw new Error(`${path}: not KEY=VALUE: ${trimmed}`);
    vars[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return vars;
}

/**
 * Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}. A required variable that is missing throws
 * with its message, as `docker compose` refuses to start.
 */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = vars[name];
      const missing = value === undefined || (colon === ':' && value === '');
      if (op === '-') return missing ? (arg ?? '') : (value as string);
      if (op === '?' && missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return value ?? '';
    },
  );
}

/**
 * The compose file, interpolated with `vars`, YAML merge keys (<<) applied,
 * with the services `docker compose --profile <each of profiles> up` starts:
 * those without `profiles`, and those of an active profile.
 */
export function loadCompose(
  path: string,
  vars: Record<string, string | undefined>,
  profiles: string[] = [],
): { services: Record<string, ComposeService> } {
  const file = parse(interpolate(readFileSync(path, 'utf8'), vars), { merge: true });
  const services = Object.entries(file.services as Record<string, ComposeService>).filter(
    ([, service]) => !service.profiles || service.profiles.some((profile) => profiles.includes(profile)),
  );
  return { ...file, services: Object.fromEntries(services) };
}

/** A service's environment as a map (compose allows a map or a list of KEY=VALUE). */
export function serviceEnv(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((item) => [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] as const)
    : Object.entries(raw);
  for (const [key, value] of entries) env[key] = value === null ? '' : String(value);
  return env;
}

/** A compose duration ("35s", "1m30s") in milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new Error(`not a duration: ${text}`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] as string] as number), 0);
}
