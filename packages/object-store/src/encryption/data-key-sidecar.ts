import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { MasterKey } from './keyring.js';

/** Appended to an object's key to name its sidecar; reserved, so no user key ends with it. */
export const SIDECAR_SUFFIX = '.dek';

export const DATA_KEY_BYTES = 32;
const SIDECAR_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** A sidecar is about 200 bytes; anything much larger is not one. */
export const MAX_SIDECAR_BYTES = 4096;

/**
 * The wrapped data key of one object, stored as JSON beside it. Rotation
 * rewrites only this, never the object.
 */
export interface DataKeySidecar {
  version: typeof SIDECAR_VERSION;
  masterKeyId: string;
  /** base64, 12 bytes, random per wrap. */
  nonce: string;
  /** base64, the AES-256-GCM ciphertext of the 32-byte data key. */
  wrappedKey: string;
  /** base64, the 16-byte GCM tag. */
  tag: string;
}

export function sidecarKeyOf(objectKey: string): string {
  return objectKey + SIDECAR_SUFFIX;
}

/** Wraps `dataKey` for `objectKey` under `masterKey`; the sidecar's bytes. */
export function wrapDataKey(dataKey: Buffer, objectKey: string, masterKey: MasterKey): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(masterKey), nonce);
  cipher.setAAD(wrappingAad(objectKey, masterKey.id));
  const wrappedKey = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  const sidecar: DataKeySidecar = {
    version: SIDECAR_VERSION,
    masterKeyId: masterKey.id,
    nonce: nonce.toString('base64'),
    wrappedKey: wrappedKey.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  return Buffer.from(JSON.stringify(sidecar));
}

/** The sidecar in `bytes`, or undefined when they are not a well-formed one. */
export function parseSidecar(bytes: Buffer): DataKeySidecar | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const sidecar = value as Partial<DataKeySidecar> | null;
  if (
    sidecar?.version !== SIDECAR_VERSION ||
    typeof sidecar.masterKeyId !== 'string' ||
    !isBase64Of(sidecar.nonce, NONCE_BYTES) ||
    !isBase64Of(sidecar.wrappedKey, DATA_KEY_BYTES) ||
    !isBase64Of(sidecar.tag, TAG_BYTES)
  ) {
    return undefined;
  }
  return sidecar as DataKeySidecar;
}

/** The data key, or undefined when authentication fails (altered sidecar, other object key, other master key). */
export function unwrapDataKey(
  sidecar: DataKeySidecar,
  objectKey: string,
  masterKey: MasterKey,
): Buffer | undefined {
  const decipher = createDecipheriv(
    'aes-256-gcm',
    wrappingKey(masterKey),
    Buffer.from(sidecar.nonce, 'base64'),
  );
  decipher.setAAD(wrappingAad(objectKey, sidecar.masterKeyId));
  decipher.setAuthTag(Buffer.from(sidecar.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sidecar.wrappedKey, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * The key that wraps data keys, derived from the master key with HKDF so the
 * same master key can also serve other purposes (the server's secret box)
 * without its ciphertexts ever being interchangeable with these.
 */
function wrappingKey(masterKey: MasterKey): Buffer {
  return Buffer.from(
    hkdfSync('sha256', masterKey.key, Buffer.alloc(0), 'agentd object-store data-key wrap v1', 32),
  );
}

/** Binds a wrapped data key to its object and its master key: a sidecar copied elsewhere does not open. */
function wrappingAad(objectKey: string, masterKeyId: string): Buffer {
  return Buffer.from(JSON.stringify(['agentd-object-data-key', SIDECAR_VERSION, objectKey, masterKeyId]));
}

function isBase64Of(value: unknown, bytes: number): value is string {
  if (typeof value !== 'string') return false;
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === value;
}
