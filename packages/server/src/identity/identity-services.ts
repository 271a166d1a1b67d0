import type { Config } from '../config/schema.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Queryable } from '../storage/database.js';
import type { TenantRepository } from '../tenants/tenant-repository.js';
import { IdentityProviderRepository } from './identity-provider-repository.js';
import { OidcKeySets } from './oidc-key-sets.js';
import { SessionTokens } from './session-tokens.js';
import { importPublicKey, SigningKeyStore } from './signing-key-store.js';

/** Authentication beside API keys: tenants' identity providers, their keys, and PASETO session tokens. */
export interface IdentityServices {
  identityProviders: IdentityProviderRepository;
  /** Each OIDC issuer's signing keys, fetched through the network policy. */
  oidcKeys: OidcKeySets;
  sessionTokens: SessionTokens;
}

export function createIdentityServices(
  config: Config,
  db: Queryable,
  box: SecretBox,
  tenants: TenantRepository,
  keyIsLive?: (tenantId: string, keyId: string) => Promise<boolean>,
): IdentityServices {
  const configuredKeys = (config.AGENTD_PASETO_PUBLIC_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  let trusted: ReturnType<typeof importAll> | undefined;
  const importAll = () => Promise.all(configuredKeys.map(importPublicKey));
  return {
    identityProviders: new IdentityProviderRepository(db),
    oidcKeys: new OidcKeySets({
      refreshIntervalMs: config.AGENTD_OIDC_JWKS_REFRESH_SECONDS * 1000,
      allowHttp: config.AGENTD_OIDC_ALLOW_HTTP,
    }),
    sessionTokens: new SessionTokens({
      keys: new SigningKeyStore(db, box, config.AGENTD_PASETO_SECRET_KEY),
      trusted: () => {
        trusted ??= importAll();
        return trusted;
      },
      tenants,
      clockSkewSeconds: config.AGENTD_TOKEN_CLOCK_SKEW_SECONDS,
      ...(keyIsLive ? { keyIsLive } : {}),
    }),
  };
}
