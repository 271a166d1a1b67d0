import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AgentdError } from '../errors.js';

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit nonce per value. The associated data binds
 * a ciphertext to its tenant and name, so a row copied elsewhere does not decrypt.
 * Stored as `v1.<nonce>.<tag>.<ciphertext>` in base64url.
 */
export class SecretBox {
  /**
   * `previous` are earlier master keys during a rotation: values sealed with
   * them still open, and `isCurrent` tells which ones to re-seal.
   */
  constructor(
    private readonly key: Buffer,
    private readonly previous: readonly Buffer[] = [],
  ) {}

  /** Whether a sealed value opens with the current key (and so needs no re-sealing). */
  isCurrent(sealed: string, context: string): boolean {
    try {
      openWith(this.key, sealed, context);
      return true;
    } catch {
      return false;
    }
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, nonce, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    for (const key of [this.key, ...this.previous]) {
      try {
        return openWith(key, sealed, context);
      } catch {
        // Try the next key; none fitting means the value was altered.
      }
    }
    throw tampered();
  }
}

function openWith(key: Buffer, sealed: string, context: string): string {
  const [version, nonce, tag, body] = sealed.split('.');
  if (version !== VERSION || !nonce || !tag || body === undefined) throw tampered();
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

function tampered(): AgentdError {
  return new AgentdError(
    'internal',
    'secret_unreadable',
    'A stored secret failed to decrypt: it was altered, or the master key is not the one it was sealed with.',
  );
}
