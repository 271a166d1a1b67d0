/**
 * The one place that knows how the UI authenticates. Today: the API key the
 * user typed, kept in sessionStorage only (gone when the tab closes, never in
 * localStorage). When POST /v1/auth/token lands, `signIn` exchanges the key
 * for a short-lived token and keeps only the token; nothing else changes.
 */
const STORAGE_KEY = 'agentd.credential';

export function bearer(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function signIn(apiKey: string): void {
  sessionStorage.setItem(STORAGE_KEY, apiKey.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function isSignedIn(): boolean {
  return bearer() !== null;
}
