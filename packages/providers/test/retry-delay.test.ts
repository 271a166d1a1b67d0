import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMs } from '../src/http/retry-delay.js';

describe('retry delays', () => {
  it('backs off exponentially with full jitter, up to the maximum', () => {
    const options = { baseDelayMs: 500, maxDelayMs: 8000 };
    expect(retryDelayMs(0, { ...options, random: () => 0.999 })).toBe(499);
    expect(retryDelayMs(2, { ...options, random: () => 0.5 })).toBe(1000);
    expect(retryDelayMs(10, { ...options, random: () => 0.999 })).toBe(7992);
    expect(retryDelayMs(3, { ...options, random: () => 0 })).toBe(0);
  });

  it('waits what the server asked for instead, capped at a minute', () => {
    const options = { baseDelayMs: 500, maxDelayMs: 8000, random: () => 0.5 };
    expect(retryDelayMs(0, { ...options, retryAfterMs: 20_000 })).toBe(20_000);
    expect(retryDelayMs(0, { ...options, retryAfterMs: 3_600_000 })).toBe(60_000);
  });

  it('reads Retry-After in seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});
