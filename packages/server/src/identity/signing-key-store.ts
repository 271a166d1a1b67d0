import { PublicProtocol } from 'paseto';
import {
  ExportPublicKeyFactory,
  ExportSecretKeyFactory,
  GenerateKeyPairFactory,
  GetPublicKeyFactory,
  ImportPublicKeyFactory,
  ImportSecretKeyFactory,
  type PublicKey,
  type SecretKey,
} from 'paseto/v4/public';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Queryable } from '../storage/database.js';

const v4 = new PublicProtocol(
  GenerateKeyPairFactory,
  GetPublicKeyFactory,
  ExportPublicKeyFactory,
  ExportSecretKeyFactory,
  ImportPublicKeyFactory,
  ImportSecretKeyFactory,
);

export interface SigningKey {
  secretKey: SecretKey;
  publicKey: PublicKey;
  /** The public key as a PASERK (`k4.public.…`): safe to show. */
  publicPaserk: string;
}

const KEY_ID = 'paseto-v4-session';
const CONTEXT = 'signing_keys:paseto-v4-session';

/** Imports a PASERK public key (`k4.public.…`), for AGENTD_PASETO_PUBLIC_KEYS. */
export async function importPublicKey(paserk: string): Promise<PublicKey> {
  return v4.ImportPublicKey(paserk as `k4.public.${string}`);
}

/**
 * The key agentd signs its session tokens with: AGENTD_PASETO_SECRET_KEY
 * when set, otherwise one generated on first use and kept in the database,
 * its secret half sealed with the master key (so every process of a
 * deployment signs and verifies with the same one). Never logged.
 */
export class SigningKeyStore {
  private key: Promise<SigningKey> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly box: SecretBox,
    private readonly configured?: string | undefined,
  ) {}

  get(): Promise<SigningKey> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<SigningKey> {
    if (this.configured) return this.fromSecret(this.configured);
    const stored = await this.read();
    if (stored) return this.fromSecret(this.box.open(stored, CONTEXT));
    const pair = await v4.GenerateKeyPair({ extractable: true });
    const secret = await v4.ExportSecretKey(pair.secretKey);
    const publicPaserk = await v4.ExportPublicKey(pair.publicKey);
    // Two processes starting together: the first insert wins and both use it.
    await this.db.query(
      `INSERT INTO signing_keys (id, public_key, sealed_secret) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [KEY_ID, publicPaserk, this.box.seal(secret, CONTEXT)],
    );
    const winner = await this.read();
    return this.fromSecret(winner ? this.box.open(winner, CONTEXT) : secret);
  }

  private async read(): Promise<string | undefined> {
    const [row] = await this.db.query<{ sealed_secret: string }>(
      'SELECT sealed_secret FROM signing_keys WHERE id = $1',
      [KEY_ID],
    );
    return row?.sealed_secret;
  }

  private async fromSecret(secret: string): Promise<SigningKey> {
    const secretKey = await v4.ImportSecretKey(secret as `k4.secret.${string}`);
    const publicKey = await v4.GetPublicKey(secretKey);
    return { secretKey, publicKey, publicPaserk: await v4.ExportPublicKey(publicKey) };
  }
}
