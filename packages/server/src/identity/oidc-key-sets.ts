import { findNetworkPolicyError } from '@agentd/net-policy';
import {
  type CompactJWSHeaderParameters,
  createLocalJWKSet,
  type FlattenedJWSInput,
  type JSONWebKeySet,
} from 'jose';
import { providerUnavailable, tokenRefused } from '../http/middleware/auth/token-errors.js';

type KeyResolver = ReturnType<typeof createLocalJWKSet>;
export type ResolvedKey = Awaited<ReturnType<KeyResolver>>;

export interface OidcKeySetsOptions {
  /** The least time between two refreshes that a token with an unknown `kid` may trigger. */
  refreshIntervalMs: number;
  /** How long keys are used before they are fetched again anyway. Default 10 minutes. */
  maxAgeMs?: number;
  /** After a failed fetch, how long requests get the same failure before another try. Default 5 s. */
  failureBackoffMs?: number;
  /** Whether http: issuers and JWKS URLs are accepted (tests, a provider on a private network). */
  allowHttp: boolean;
  timeoutMs?: number;
  now?: () => number;
}

interface Entry {
  resolve: KeyResolver;
  fetchedAt: number;
  /** When a token with an unknown `kid` last made us fetch again. */
  refreshedAt: number;
}

/** The fetch a request for keys goes through: the network policy's. */
export type PolicedFetch = (url: string, init?: RequestInit) => Promise<Response>;

const MAX_DOCUMENT_BYTES = 512 * 1024;

/**
 * Each OpenID Connect issuer's signing keys: discovery, then the JWKS, both
 * through the network policy; kept for a while; fetched again when a token
 * names a key we do not have (the provider rotated its keys), at most once
 * per refresh interval, so tokens with made-up `kid`s cannot make agentd
 * hammer the provider. Concurrent requests share one fetch.
 */
export class OidcKeySets {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly failures = new Map<string, { error: unknown; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: OidcKeySetsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A key resolver for jose's jwtVerify. `cacheKey` separates policies:
   * an issuer reached under one network policy is not trusted under another.
   */
  resolver(issuer: string, fetcher: PolicedFetch, cacheKey: string) {
    const key = `${cacheKey}\n${issuer}`;
    return async (header: CompactJWSHeaderParameters, token: FlattenedJWSInput): Promise<ResolvedKey> => {
      let entry = this.entries.get(key);
      if (!entry || this.now() - entry.fetchedAt > (this.options.maxAgeMs ?? 600_000)) {
        entry = await this.load(key, issuer, fetcher, entry);
      }
      try {
        return await entry.resolve(header, token);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
        const sinceRefresh = this.now() - entry.refreshedAt;
        if (sinceRefresh < this.options.refreshIntervalMs) throw unknownKey(false);
        const fresh = await this.load(key, issuer, fetcher, entry, true);
        try {
          return await fresh.resolve(header, token);
        } catch (retry) {
          if ((retry as { code?: string }).code === 'ERR_JWKS_NO_MATCHING_KEY') throw unknownKey(true);
          throw retry;
        }
      }
    };
  }

  private load(
    key: string,
    issuer: string,
    fetcher: PolicedFetch,
    stale: Entry | undefined,
    refresh = false,
  ) {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const failed = this.failures.get(key);
    if (failed && this.now() - failed.at < (this.options.failureBackoffMs ?? 5000)) {
      return stale ? Promise.resolve(stale) : Promise.reject(failed.error);
    }
    const promise = this.fetchKeys(issuer, fetcher)
      .then((jwks) => {
        const now = this.now();
        const entry: Entry = {
          resolve: createLocalJWKSet(jwks),
          fetchedAt: now,
          refreshedAt: refresh ? now : (stale?.refreshedAt ?? Number.NEGATIVE_INFINITY),
        };
        this.entries.set(key, entry);
        this.failures.delete(key);
        return entry;
      })
      .catch((error: unknown) => {
        this.failures.set(key, { error, at: this.now() });
        // Keys we had keep working while the provider is away.
        if (stale) return stale;
        throw error;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }

  /** The issuer's discovery document (through the network policy), checked to name the same issuer. */
  async discovery(issuer: string, fetcher: PolicedFetch): Promise<Record<string, unknown>> {
    const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const discovery = await this.fetchJson(discoveryUrl, issuer, fetcher);
    if (discovery.issuer !== issuer) {
      throw providerUnavailable(
        `The identity provider's discovery document names another issuer than '${issuer}'; agentd trusts it only when they are the same.`,
      );
    }
    return discovery;
  }

  private async fetchKeys(issuer: string, fetcher: PolicedFetch): Promise<JSONWebKeySet> {
    const discovery = await this.discovery(issuer, fetcher);
    const jwksUri = discovery.jwks_uri;
    if (typeof jwksUri !== 'string') {
      throw providerUnavailable(`The discovery document of '${issuer}' has no jwks_uri.`);
    }
    const jwks = await this.fetchJson(jwksUri, issuer, fetcher);
    if (!Array.isArray(jwks.keys)) {
      throw providerUnavailable(`The JWKS of '${issuer}' has no keys array.`);
    }
    return jwks as unknown as JSONWebKeySet;
  }

  private async fetchJson(
    url: string,
    issuer: string,
    fetcher: PolicedFetch,
  ): Promise<Record<string, unknown>> {
    const protocol = URL.canParse(url) ? new URL(url).protocol : '';
    if (protocol !== 'https:' && !(protocol === 'http:' && this.options.allowHttp)) {
      throw providerUnavailable(
        `agentd reads '${issuer}' keys only over https (AGENTD_OIDC_ALLOW_HTTP=on allows http).`,
      );
    }
    let response: Response;
    try {
      response = await fetcher(url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      const blocked = findNetworkPolicyError(error);
      throw providerUnavailable(
        blocked
          ? `The network policy keeps agentd from the identity provider '${issuer}': ${blocked.message}`
          : `The identity provider '${issuer}' could not be reached: ${(error as Error).message}`,
        error,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw providerUnavailable(`The identity provider '${issuer}' answered ${response.status} for ${url}.`);
    }
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES) {
      throw providerUnavailable(`The identity provider '${issuer}' sent a document larger than 512 KiB.`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // Answered below.
    }
    throw providerUnavailable(
      `The identity provider '${issuer}' sent something other than a JSON object from ${url}.`,
    );
  }
}

function unknownKey(refreshed: boolean) {
  return tokenRefused(
    'unknown_key',
    refreshed
      ? "The token's key (kid) is not among its identity provider's keys, even after fetching them again."
      : "The token's key (kid) is not among its identity provider's keys; they were fetched again too recently to try once more.",
  );
}
