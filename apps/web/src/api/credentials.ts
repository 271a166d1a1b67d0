/**
 * The one place that knows how the UI authenticates. Signing in exchanges the
 * API key for a short-lived session token (POST /v1/auth/token) and keeps only
 * the token, in sessionStorage (gone with the tab; never localStorage). The key
 * stays in this page's memory, to renew the token before it expires; a
 * reloaded page keeps the token until it expires, then asks to sign in again.
 * A server without session tokens (404) gets the key itself, in sessionStorage.
 */
const STORAGE_KEY = 'agentd.credential';
const RENEW_AT = 0.8;

interface Stored {
  bearer: string;
  /** Unix seconds; absent for a plain API key. */
  expiresAt?: number;
}

let apiKeyInMemory: string | null = null;
let renewal: ReturnType<typeof setTimeout> | undefined;

function read(): Stored | null {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (!text) return null;
  try {
    const stored = JSON.parse(text) as Stored;
    if (stored.expiresAt !== undefined && stored.expiresAt * 1000 <= Date.now()) return null;
    return stored;
  } catch {
    return null;
  }
}

export function bearer(): string | null {
  return read()?.bearer ?? null;
}

export function isSignedIn(): boolean {
  return read() !== null;
}

/** What the token endpoint answered when it refused the key. */
export class SignInError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

async function exchange(apiKey: string): Promise<Stored> {
  const response = await fetch('/v1/auth/token', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status === 404) return { bearer: apiKey };
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    expires_at?: number;
    expires_in?: number;
    error?: { message?: string };
  };
  if (!response.ok || !body.token || !body.expires_at)
    throw new SignInError(response.status, body.error?.message ?? `HTTP ${response.status}`);
  scheduleRenewal((body.expires_in ?? 0) * RENEW_AT * 1000);
  return { bearer: body.token, expiresAt: body.expires_at };
}

function scheduleRenewal(afterMs: number): void {
  clearTimeout(renewal);
  if (afterMs <= 0) return;
  renewal = setTimeout(() => {
    if (!apiKeyInMemory) return;
    exchange(apiKeyInMemory)
      .then((stored) => sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored)))
      .catch(() => undefined);
  }, afterMs);
}

/** Exchanges the key for a session token and keeps the token; throws SignInError when refused. */
export async function signIn(apiKey: string): Promise<void> {
  const key = apiKey.trim();
  const stored = await exchange(key);
  apiKeyInMemory = key;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
}

/**
 * Keeps a session token got through the identity provider. There is no key
 * to renew it with: when it expires, the person signs in again (the
 * provider's own session usually makes that one click).
 */
export function keepSessionToken(token: string, expiresAt: number): void {
  apiKeyInMemory = null;
  clearTimeout(renewal);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ bearer: token, expiresAt } satisfies Stored));
}

export function signOut(): void {
  apiKeyInMemory = null;
  clearTimeout(renewal);
  sessionStorage.removeItem(STORAGE_KEY);
}
