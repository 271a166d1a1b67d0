export { EncryptedObjectStore } from './encryption/encrypted-object-store.js';
export { Keyring, type MasterKey } from './encryption/keyring.js';
export {
  InvalidObjectKeyError,
  ObjectNotFoundError,
  ObjectStoreError,
  type ObjectStoreErrorCode,
  ObjectTamperedError,
  UnknownMasterKeyError,
} from './errors.js';
export { LocalObjectStore } from './local/local-object-store.js';
export type { GetOptions, ObjectBody, ObjectStore, PutOptions } from './object-store.js';
export { type ObjectStoreConfig, objectStoreFromConfig } from './object-store-from-config.js';
export type { S3ConnectionOptions } from './s3/s3-client.js';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3/s3-object-store.js';
