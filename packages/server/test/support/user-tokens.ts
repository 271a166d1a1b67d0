import { PublicProtocol } from 'paseto';
import {
  ExportPublicKeyFactory,
  GenerateKeyPairFactory,
  type SecretKey,
  SignFactory,
} from 'paseto/v4/public';

const v4 = new PublicProtocol(GenerateKeyPairFactory, ExportPublicKeyFactory, SignFactory);

export interface UserClaims {
  tenant: string;
  user: string;
  groups: string[];
  role?: 'member' | 'admin';
}

/**
 * A PASETO v4.public signer standing in for a platform team's identity
 * service: agentd trusts its public key (AGENTD_PASETO_PUBLIC_KEYS) and reads
 * the user and groups its tokens name.
 */
export interface UserTokenSigner {
  /** The PASERK public key, for AGENTD_PASETO_PUBLIC_KEYS. */
  publicKey: string;
  sign(claims: UserClaims): Promise<string>;
}

export async function userTokenSigner(): Promise<UserTokenSigner> {
  const pair = await v4.GenerateKeyPair({ extractable: true });
  const secretKey: SecretKey = pair.secretKey;
  return {
    publicKey: await v4.ExportPublicKey(pair.publicKey),
    sign: (claims) =>
      v4.Sign(secretKey, {
        sub: claims.user,
        tenant: claims.tenant,
        role: claims.role ?? 'member',
        user: claims.user,
        groups: claims.groups,
        exp: new Date(Date.now() + 10 * 60_000).toISOString(),
      }),
  };
}
