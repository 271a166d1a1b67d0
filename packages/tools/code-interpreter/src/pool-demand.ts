import { freemem } from 'node:os';

/** How the warm pool sizes itself to the demand it sees, within a memory budget. */
export interface PoolDemandOptions {
  /** What one booted interpreter costs in memory; without it, memory does not bound the pool. */
  memoryPerRunnerMb?: number;
  /** Memory left to everything else: the pool does not grow past what would take free memory below it. Default 1024 MB. */
  minFreeMemoryMb?: number;
  /** The machine's free memory in bytes. Default `os.freemem()`; tests pass their own. */
  freeMemory?: () => number;
}

/** How far back new sessions count toward the demand: the time one refill takes, at least this. */
const MIN_WINDOW_MS = 250;
const MAX_REMEMBERED = 256;

/**
 * The new sessions a pool served recently, and the memory it may still take.
 * A pool wants as many interpreters warm as new sessions arrived during the
 * last boot's time: that many more are likely to come before a boot started
 * now is done (Little's law, with the boot time as the wait).
 */
export class PoolDemand {
  readonly #takes: number[] = [];
  readonly #perRunnerBytes: number | undefined;
  readonly #minFreeBytes: number;
  readonly #freeMemory: () => number;

  constructor(options: PoolDemandOptions = {}) {
    this.#perRunnerBytes =
      options.memoryPerRunnerMb === undefined ? undefined : options.memoryPerRunnerMb * 1024 * 1024;
    this.#minFreeBytes = (options.minFreeMemoryMb ?? 1024) * 1024 * 1024;
    this.#freeMemory = options.freeMemory ?? freemem;
  }

  /** A new session took an interpreter. */
  record(now: number): void {
    this.#takes.push(now);
    if (this.#takes.length > MAX_REMEMBERED) this.#takes.shift();
  }

  /** New sessions in the last `bootMs` (at least 250 ms): how many more a refill should be ahead by. */
  recent(bootMs: number, now: number): number {
    const since = now - Math.max(MIN_WINDOW_MS, bootMs);
    let count = 0;
    for (let i = this.#takes.length - 1; i >= 0 && (this.#takes[i] as number) >= since; i--) count++;
    return count;
  }

  /** How many more interpreters fit in memory now; Infinity when memory does not bound the pool. */
  room(): number {
    if (this.#perRunnerBytes === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.floor((this.#freeMemory() - this.#minFreeBytes) / this.#perRunnerBytes));
  }
}
