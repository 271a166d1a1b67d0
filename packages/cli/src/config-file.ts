import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `agentd login` keeps: the server and the key to use when no flag or variable says otherwise. */
export interface StoredLogin {
  url: string;
  key: string;
}

/** `$XDG_CONFIG_HOME/agentd/config.json`, else `~/.config/agentd/config.json`. */
export function configPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'agentd', 'config.json');
}

/** The stored login, or undefined when there is none (or it cannot be read). */
export function readLogin(env: Record<string, string | undefined>): StoredLogin | undefined {
  try {
    const parsed = JSON.parse(readFileSync(configPath(env), 'utf8')) as Partial<StoredLogin>;
    return typeof parsed.url === 'string' && typeof parsed.key === 'string'
      ? { url: parsed.url, key: parsed.key }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the login readable by its owner only (file 0600, directory 0700), whatever the umask. */
export function writeLogin(env: Record<string, string | undefined>, login: StoredLogin): string {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  chmodSync(dirname(path), 0o700);
  writeFileSync(path, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
