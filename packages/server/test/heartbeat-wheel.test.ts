/**
 * The heartbeat wheel (one timer for every held stream's heartbeats), on
 * fake timers: each stream gets one heartbeat per interval, spread over the
 * interval; a process that stalls does not push later heartbeats back; a
 * stream that stops gets no more and the timer goes with the last one.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatWheel } from '../src/http/sse/heartbeat-wheel.js';

describe('HeartbeatWheel', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** `count` streams, each recording when it got its heartbeats. */
  function streams(wheel: HeartbeatWheel, count: number) {
    return Array.from({ length: count }, () => {
      const beats: number[] = [];
      const stop = wheel.add({ beat: () => beats.push(performance.now()) });
      return { beats, stop };
    });
  }

  it('gives each stream one heartbeat per interval, a twentieth of them at each tick', async () => {
    const wheel = HeartbeatWheel.every(1_000);
    const first = streams(wheel, 100);
    vi.advanceTimersByTime(500);
    const later = streams(wheel, 100);
    vi.advanceTimersByTime(4_600);
    for (const { beats } of first) {
      expect(beats.length).toBe(5);
      for (let i = 1; i < beats.length; i++)
        expect((beats[i] as number) - (beats[i - 1] as number)).toBe(1_000);
    }
    for (const { beats } of later) expect(beats.length).toBe(4); // the first one interval after it opened
    // The writes are spread: at no moment did more than the streams of two slots get theirs.
    const at = new Map<number, number>();
    for (const { beats } of [...first, ...later]) for (const t of beats) at.set(t, (at.get(t) ?? 0) + 1);
    expect(Math.max(...at.values())).toBeLessThanOrEqual(100);
    expect(at.size).toBeGreaterThan(5);
    for (const { stop } of [...first, ...later]) stop();
    expect(wheel.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('catches up after a stall instead of pushing every later heartbeat back', () => {
    // The process stalls for 700 ms once: the clock moves on while the timer waits, so it fires late.
    let offset = 0;
    const now = performance.now.bind(performance);
    vi.spyOn(performance, 'now').mockImplementation(() => now() + offset);
    const wheel = HeartbeatWheel.every(2_000);
    let seen = 0;
    const first = wheel.add({
      beat: () => {
        seen++;
        if (seen === 2) offset += 700;
      },
    });
    // One stream per slot: opened a tick apart.
    const others = Array.from({ length: 19 }, () => {
      vi.advanceTimersByTime(100);
      return streams(wheel, 1)[0] as { beats: number[]; stop: () => void };
    });
    vi.advanceTimersByTime(20_000);
    // Measured on the process's clock: only the streams whose heartbeat fell due during the stall
    // (7 or 8 of the 20 slots) waited longer than the interval and a tick; a wheel that visits one
    // slot per timer call would have made every stream wait 2.7 s once, and stay 0.7 s behind.
    const late = others.filter(({ beats }) =>
      beats.some((at, i) => i > 0 && at - (beats[i - 1] as number) > 2_100),
    );
    expect(late.length).toBeLessThanOrEqual(8);
    for (const { beats } of others) expect(beats.length).toBeGreaterThanOrEqual(9);
    first();
    for (const other of others) other.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.restoreAllMocks();
  });

  it('stops the heartbeats of a stream that ended', () => {
    const wheel = HeartbeatWheel.every(500);
    const [kept, ended] = streams(wheel, 2) as [
      { beats: number[]; stop: () => void },
      { beats: number[]; stop: () => void },
    ];
    vi.advanceTimersByTime(1_100);
    ended.stop();
    ended.stop();
    vi.advanceTimersByTime(1_000);
    expect(kept.beats.length).toBe(4);
    expect(ended.beats.length).toBe(2);
    expect(wheel.size).toBe(1);
    kept.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
