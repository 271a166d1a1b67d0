import { join } from 'node:path';
import { ObjectStoreError } from './errors.js';
import { LocalObjectStore } from './local/local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3/s3-object-store.js';

/** The server's settings that choose and configure the object store backend. */
export interface ObjectStoreConfig {
  /** `local` (the default) keeps objects under `<dataDir>/objects`. */
  AGENTD_OBJECT_STORE?: 'local' | 's3';
  dataDir: string;
  S3_BUCKET?: string;
  S3_REGION?: string;
  S3_ENDPOINT?: string;
  S3_FORCE_PATH_STYLE?: boolean;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_PREFIX?: string;
}

/** The unencrypted backend the configuration names; the server wraps it in an EncryptedObjectStore. */
export function objectStoreFromConfig(config: ObjectStoreConfig): ObjectStore {
  const backend = config.AGENTD_OBJECT_STORE ?? 'local';
  if (backend === 'local') return new LocalObjectStore({ dir: join(config.dataDir, 'objects') });
  if (backend !== 's3') {
    throw new ObjectStoreError('invalid_config', `AGENTD_OBJECT_STORE='${backend}' is not one of local, s3`);
  }
  if (!config.S3_BUCKET)
    throw new ObjectStoreError('invalid_config', "AGENTD_OBJECT_STORE='s3' needs S3_BUCKET");
  if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
    throw new ObjectStoreError(
      'invalid_config',
      'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither to use the default AWS credential chain',
    );
  }
  return new S3ObjectStore({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    prefix: config.S3_PREFIX,
  });
}
