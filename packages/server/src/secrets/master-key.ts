import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentdError } from '../errors.js';

export const MASTER_KEY_FILE = 'master-key';

/**
 * The 32-byte master key that encrypts secrets at rest: AGENTD_MASTER_KEY
 * (base64), or else a key generated at first start into a 0600 file in the
 * data directory.
 */
export function loadMasterKey(options: {
  configured?: string | undefined;
  dataDir: string;
  /** Told when a key is generated (a scaled deployment should set AGENTD_MASTER_KEY instead). */
  onGenerate?: (file: string) => void;
}): Buffer {
  if (options.configured !== undefined) return decode(options.configured, 'AGENTD_MASTER_KEY');
  const file = join(options.dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) return decode(readFileSync(file, 'utf8').trim(), file);
  // With DATABASE_URL, several processes share the secrets: they must share the key too.
  options.onGenerate?.(file);
  mkdirSync(options.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function decode(value: string, source: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32 || key.toString('base64') !== value.replace(/\s/g, '')) {
    throw new AgentdError('invalid_request', 'invalid_master_key', `${source}: expected 32 bytes in base64`, {
      param: 'AGENTD_MASTER_KEY',
    });
  }
  return key;
}
