/** What one counted request or call is told: let through or not, and where its limit stands. */
export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the limit is back to its full allowance (OpenAI's x-ratelimit-reset-*). */
  resetMs: number;
  /** Until a refused request may succeed (Retry-After); 0 when allowed. */
  retryAfterMs: number;
}
