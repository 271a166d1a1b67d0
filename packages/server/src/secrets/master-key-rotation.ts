import type { EncryptedObjectStore } from '@agentd/object-store';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { SecretRepository } from './secret-repository.js';

/** The earlier master keys of a rotation in progress (AGENTD_MASTER_KEY_PREVIOUS). */
export function previousMasterKeys(config: Config): Buffer[] {
  return (config.AGENTD_MASTER_KEY_PREVIOUS ?? '')
    .split(',')
    .filter(Boolean)
    .map((value) => Buffer.from(value, 'base64'));
}

/**
 * Finishes a master-key rotation: every object's data key and every secret
 * sealed with a previous key is rewrapped under the current one. Objects
 * themselves are not rewritten. Once this has logged, the previous keys can
 * be removed from the configuration.
 */
export async function rewrapUnderCurrentKey(
  services: { objectStore: EncryptedObjectStore; secrets: SecretRepository },
  logger: Logger,
): Promise<{ objects: number; secrets: number }> {
  const objects = await services.objectStore.rotate();
  const secrets = await services.secrets.rewrapAll();
  logger.info(
    {
      objects_rewrapped: objects.rewrapped,
      objects_current: objects.alreadyCurrent,
      secrets_rewrapped: secrets,
    },
    'master key rotation complete: AGENTD_MASTER_KEY_PREVIOUS can be removed',
  );
  return { objects: objects.rewrapped, secrets };
}
