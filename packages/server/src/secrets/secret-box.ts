import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AgentdError } from '../errors.js';

const VERSION = 'v1';

/**
 * AES-256-GCM with a random 96-bit nonce per value. The associated data binds
 * a ciphertext to its tenant and name, so a row copied elsewhere does not decrypt.
 * Stored as `v1.<nonce>.<tag>.<ciphertext>` in base64url.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {}

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
    const [version, nonce, tag, body] = sealed.split('.');
    if (version !== VERSION || !nonce || !tag || body === undefined) throw tampered();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw tampered();
    }
  }
}

function tampered(): AgentdError {
  return new AgentdError(
    'internal',
    'secret_unreadable',
    'A stored secret failed to decrypt: it was altered, or the master key is not the one it was sealed with.',
  );
}
