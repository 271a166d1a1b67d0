/** Something a clock looks at every tick (a run follower deciding whether to read the log). */
export interface Ticking {
  tick(now: number): void;
}

/**
 * One interval timer per period for every follower in the process, instead
 * of a timer (and its promise) per follower: with 10,000 idle streams that is
 * one timer, not 20,000. Each tick visits every follower (a comparison or
 * two each); the timer does not keep the process alive and stops when the
 * last follower leaves.
 */
export class FollowerClock {
  private readonly followers = new Set<Ticking>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly periodMs: number) {}

  /** The process's clock ticking every `periodMs`. */
  static every(periodMs: number): FollowerClock {
    let clock = clocks.get(periodMs);
    if (!clock) {
      clock = new FollowerClock(periodMs);
      clocks.set(periodMs, clock);
    }
    return clock;
  }

  /** How many followers it looks after. */
  get size(): number {
    return this.followers.size;
  }

  add(follower: Ticking): void {
    this.followers.add(follower);
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.periodMs);
    this.timer.unref();
  }

  remove(follower: Ticking): void {
    if (!this.followers.delete(follower) || this.followers.size > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    for (const follower of this.followers) follower.tick(now);
  }
}

/** How many followers the process's clocks look after (tests: a follower that stopped is gone). */
export function followersTicking(): number {
  let count = 0;
  for (const clock of clocks.values()) count += clock.size;
  return count;
}

const clocks = new Map<number, FollowerClock>();
