import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TENANT_ID, type TenantRepository } from '../tenants/tenant-repository.js';
import type { ApiKeyRepository } from './api-key-repository.js';
import { newApiKeySecret } from './api-key-secret.js';

export type AdminKeySource = 'env' | 'created' | 'existing';

export interface AdminBootstrap {
  source: AdminKeySource;
  /** The secret, only when this start created it (to be printed once). */
  createdKey?: string;
  /** Where the created key was written (mode 0600). */
  keyFile: string;
}

export const ADMIN_KEY_FILE = 'admin-key';

/**
 * Makes sure the default tenant and its platform-admin key exist. AGENTD_ADMIN_KEY
 * sets the key; otherwise the first start creates one and writes it to a 0600 file.
 */
export async function bootstrapAdmin(
  tenants: TenantRepository,
  apiKeys: ApiKeyRepository,
  options: { adminKey?: string | undefined; dataDir: string },
): Promise<AdminBootstrap> {
  await tenants.ensureDefault();
  const keyFile = join(options.dataDir, ADMIN_KEY_FILE);
  if (options.adminKey !== undefined) {
    await apiKeys.putBootstrap(DEFAULT_TENANT_ID, options.adminKey, true);
    return { source: 'env', keyFile };
  }
  const value = newApiKeySecret();
  const created = await apiKeys.putBootstrap(DEFAULT_TENANT_ID, value, false);
  if (!created) return { source: 'existing', keyFile };
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(keyFile, `${value}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return { source: 'created', createdKey: value, keyFile };
}
