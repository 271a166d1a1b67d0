export interface RefillGateOptions {
  /** How long no call may have held an interpreter before a put-off refill starts. Default 500 ms. */
  quietMs?: number;
  /** A put-off refill starts this long after it was put off at the latest. Default 3 s. */
  maxWaitMs?: number;
}

interface PutOff {
  /** Starts the refill; settles when its boots do. */
  start: () => Promise<unknown>;
  deadline: number;
}

/**
 * When the pools' put-off refills start: once no call holds an interpreter of
 * any pool sharing the gate and none has for `quietMs`, or `maxWaitMs` after
 * they were put off; and one pool's at a time, the next once the boots of the
 * one before are done. On a small machine a boot (most of a second of CPU for
 * a Pyodide worker, a process start for CPython) slows whatever call runs
 * beside it, whichever runtime that call is on, and two boots at once slow
 * each other. A pool that runs empty does not ask the gate: it refills at once.
 */
export class RefillGate {
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  readonly #queue: PutOff[] = [];
  #holding = 0;
  #lastHeld = Number.NEGATIVE_INFINITY;
  /** A refill the gate let go is still booting. */
  #releasing = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RefillGateOptions = {}) {
    this.#quietMs = options.quietMs ?? 500;
    this.#maxWaitMs = options.maxWaitMs ?? 3_000;
  }

  /** A call holds an interpreter from now; the function returned says it let go. */
  hold(): () => void {
    this.#holding++;
    this.#lastHeld = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holding--;
      this.#lastHeld = performance.now();
      this.#check();
    };
  }

  /** Runs `start` (a pool's refill) once the calls are quiet, or at the latest `maxWaitMs` from now. */
  putOff(start: () => Promise<unknown>): void {
    this.#queue.push({ start, deadline: performance.now() + this.#maxWaitMs });
    this.#check();
  }

  #check(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.#queue[0];
    if (!next) return;
    const now = performance.now();
    const quietAt =
      this.#holding > 0 || this.#releasing ? Number.POSITIVE_INFINITY : this.#lastHeld + this.#quietMs;
    const at = Math.min(quietAt, next.deadline);
    if (at > now) {
      if (Number.isFinite(at)) this.#timer = setTimeout(() => this.#check(), at - now).unref();
      return;
    }
    this.#queue.shift();
    this.#releasing = true;
    void next
      .start()
      .catch(() => undefined)
      .finally(() => {
        this.#releasing = false;
        this.#check();
      });
    // Past its deadline, the next one goes too, beside the first.
    if (this.#queue.length > 0) this.#check();
  }
}

let shared: RefillGate | undefined;

/** The gate every sandbox of this process shares by default: their boots compete for the same cores. */
export function processRefillGate(): RefillGate {
  shared ??= new RefillGate();
  return shared;
}
