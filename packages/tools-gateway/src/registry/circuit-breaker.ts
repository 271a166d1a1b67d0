export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold?: number;
  /** How long an open circuit keeps the tool out before one trial call. */
  cooldownMs?: number;
  now?: () => number;
}

/**
 * Takes a failing tool out for a cool-down: after `threshold` consecutive
 * failures it is open (skipped) until the cool-down passes; then one trial
 * call is let through (half-open), which closes it on success or reopens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.failures < this.threshold) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half-open';
  }

  /** Whether a call may go through now (a half-open circuit lets one trial through). */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures++;
    if (this.failures >= this.threshold) this.openUntil = this.now() + this.cooldownMs;
  }
}
