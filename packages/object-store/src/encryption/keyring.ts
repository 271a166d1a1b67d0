import { createHash } from 'node:crypto';
import { ObjectStoreError } from '../errors.js';

const MASTER_KEY_BYTES = 32;

/** A 256-bit master key and its id. */
export interface MasterKey {
  /** The first 16 hex characters of the key's SHA-256: names the key in sidecars and errors without revealing it. */
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The master keys an EncryptedObjectStore may use: the current one wraps
 * every new data key; previous ones only unwrap, so objects written before a
 * rotation stay readable until `rotate()` has rewrapped them.
 */
export class Keyring {
  readonly current: MasterKey;
  readonly #byId: Map<string, MasterKey>;

  constructor(current: Buffer, previous: Buffer[] = []) {
    this.current = masterKey(current, 'the current master key');
    this.#byId = new Map([[this.current.id, this.current]]);
    previous.forEach((key, index) => {
      const entry = masterKey(key, `previous master key #${index + 1}`);
      if (!this.#byId.has(entry.id)) this.#byId.set(entry.id, entry);
    });
  }

  find(id: string): MasterKey | undefined {
    return this.#byId.get(id);
  }

  /** The current key, and previous keys as comma-separated base64 (blank entries ignored). */
  static fromConfig(options: { current: Buffer; previous?: string }): Keyring {
    const previous = (options.previous ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry, index) => decodeBase64Key(entry, `previous master key #${index + 1}`));
    return new Keyring(options.current, previous);
  }
}

function masterKey(key: Buffer, name: string): MasterKey {
  if (!Buffer.isBuffer(key) || key.length !== MASTER_KEY_BYTES) {
    throw new ObjectStoreError('invalid_config', `${name} must be ${MASTER_KEY_BYTES} bytes`);
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key: Buffer.from(key) };
}

function decodeBase64Key(value: string, name: string): Buffer {
  const key = Buffer.from(value, 'base64');
  // Buffer.from skips characters that are not base64; re-encoding catches them.
  if (key.length !== MASTER_KEY_BYTES || key.toString('base64') !== value) {
    throw new ObjectStoreError('invalid_config', `${name} must be ${MASTER_KEY_BYTES} bytes in base64`);
  }
  return key;
}
