import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { OidcKeySets, type PolicedFetch } from './oidc-key-sets.js';

const ISSUER = 'https://idp.example.com';

async function jwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
}

/** A provider as a fetch: discovery and a JWKS that the test changes; counts the JWKS requests. */
function provider(keys: JWK[]) {
  const state = { keys, jwksRequests: 0, down: false };
  const fetcher: PolicedFetch = async (url) => {
    if (state.down) throw new Error('connect ECONNREFUSED');
    if (url.endsWith('/.well-known/openid-configuration')) {
      return Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` });
    }
    state.jwksRequests += 1;
    return Response.json({ keys: state.keys });
  };
  return { state, fetcher };
}

const header = (kid: string) => ({ alg: 'ES256', kid });
const token = { payload: '', signature: '' };

describe('OidcKeySets', () => {
  it('fetches once for concurrent requests, and refetches on an unknown kid at most once per interval', async () => {
    let now = 1_000_000;
    const { state, fetcher } = provider([await jwk('one')]);
    const sets = new OidcKeySets({ refreshIntervalMs: 30_000, allowHttp: false, now: () => now });
    const resolve = sets.resolver(ISSUER, fetcher, 'policy');
    await Promise.all([
      resolve(header('one'), token),
      resolve(header('one'), token),
      resolve(header('one'), token),
    ]);
    expect(state.jwksRequests).toBe(1);

    state.keys = [await jwk('two')];
    await expect(resolve(header('two'), token)).resolves.toBeDefined();
    expect(state.jwksRequests).toBe(2);
    await expect(resolve(header('three'), token)).rejects.toMatchObject({ code: 'unknown_key' });
    expect(state.jwksRequests).toBe(2);

    now += 30_000;
    state.keys = [await jwk('three')];
    await expect(resolve(header('three'), token)).resolves.toBeDefined();
    expect(state.jwksRequests).toBe(3);
  });

  it('keeps the keys it has while the provider is down, and says so when it has none', async () => {
    let now = 0;
    const { state, fetcher } = provider([await jwk('one')]);
    const sets = new OidcKeySets({ refreshIntervalMs: 0, maxAgeMs: 1000, allowHttp: false, now: () => now });
    const resolve = sets.resolver(ISSUER, fetcher, 'policy');
    await resolve(header('one'), token);
    state.down = true;
    now += 5000;
    await expect(resolve(header('one'), token)).resolves.toBeDefined();

    const fresh = new OidcKeySets({ refreshIntervalMs: 0, allowHttp: false }).resolver(ISSUER, fetcher, 'p');
    await expect(fresh(header('one'), token)).rejects.toMatchObject({
      code: 'identity_provider_unavailable',
      category: 'unavailable',
    });
  });

  it('refuses http: unless allowed, and a discovery document naming another issuer', async () => {
    const { fetcher } = provider([await jwk('one')]);
    const http = new OidcKeySets({ refreshIntervalMs: 0, allowHttp: false }).resolver(
      'http://idp.local',
      fetcher,
      'p',
    );
    await expect(http(header('one'), token)).rejects.toMatchObject({ code: 'identity_provider_unavailable' });
    const other = new OidcKeySets({ refreshIntervalMs: 0, allowHttp: false }).resolver(
      'https://other.example.com',
      fetcher,
      'p',
    );
    await expect(other(header('one'), token)).rejects.toThrow(/another issuer/);
  });
});
