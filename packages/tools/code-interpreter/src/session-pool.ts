import { PoolDemand, type PoolDemandOptions } from './pool-demand.js';
import { RefillGate } from './refill-gate.js';

/** One interpreter a session is pinned to: a Pyodide worker or a sandboxed CPython process. */
export interface PooledRunner {
  /** False once it died or was stopped; the pool then drops it. */
  readonly alive: boolean;
  dispose(): Promise<void>;
}

export interface SessionPoolOptions<R> extends PoolDemandOptions {
  /** Interpreters kept booted and unassigned, so that a new session does not wait for a start: the least. */
  warm: number;
  /**
   * The most the warm pool grows to under a burst of new sessions: it keeps as
   * many warm as new sessions came during the last boot's time (refilling
   * ahead), and doubles when it runs empty. Default `warm`: a pool of fixed size.
   */
  maxWarm?: number;
  /** Boots under way at once while refilling. Default `warm` (at least 1). */
  bootConcurrency?: number;
  /** After this long without running empty, a grown pool shrinks by one toward `warm`. Default 60 s. */
  shrinkAfterMs?: number;
  /** Live sessions at most; a new one evicts the least recently used idle session. */
  maxSessions: number;
  /** A session unused this long is stopped and forgotten. */
  idleMs: number;
  /**
   * When a refill that need not start at once does (a call took a warm interpreter and others are
   * still warm): share one gate between pools whose boots compete for the same cores. Default: a
   * gate of the pool's own.
   */
  refillGate?: RefillGate;
  /** Starts one interpreter; `signal` aborts when the pool closes, so a close does not wait for boots. */
  boot: (signal: AbortSignal) => Promise<R>;
}

export interface SessionPoolStats {
  /** Interpreters booted so far (warm pool and cold starts). */
  boots: number;
  /** Sessions whose first call had to wait for a boot because the warm pool was empty. */
  coldStarts: number;
  /** Booted, unassigned interpreters right now. */
  warm: number;
  /** How many the pool keeps warm now: `warm` at rest, more after it ran empty. */
  target: number;
  /** The most `target` has been: how far a burst grew the pool. */
  peakTarget: number;
  /** Times the pool grew less than demand asked because free memory would have run low. */
  memoryCapped: number;
  /** Boots under way right now, and the most there were at once. */
  booting: number;
  peakBooting: number;
  /** How long the last boot took, and the mean of all of them (ms); 0 before the first. */
  lastBootMs: number;
  meanBootMs: number;
  sessions: number;
}

interface PinnedSession<R> {
  runner: R | null;
  tail: Promise<unknown>;
  pending: number;
  lastUsed: number;
}

/** Gives up refilling after this many boots in a row fail; the next demand tries again. */
const MAX_BOOT_FAILURES = 3;

/**
 * A warm pool of interpreters and the sessions pinned to them. Calls to one
 * session run one at a time, in order; different sessions run in parallel.
 */
export class SessionPool<R extends PooledRunner> {
  readonly #options: SessionPoolOptions<R>;
  readonly #warm: R[] = [];
  readonly #sessions = new Map<string, PinnedSession<R>>();
  readonly #booting = new Set<Promise<unknown>>();
  /** Sessions waiting for the next warm interpreter, when none was ready. */
  readonly #waiters: { resolve: (runner: R) => void; reject: (error: unknown) => void }[] = [];
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;
  readonly #closing = new AbortController();
  #boots = 0;
  #coldStarts = 0;
  #failures = 0;
  #lastBootError: unknown;
  readonly #maxWarm: number;
  readonly #bootConcurrency: number;
  readonly #shrinkAfterMs: number;
  #target: number;
  #peakTarget: number;
  /** When demand last grew the pool (a burst drained it, or new sessions came faster than boots). */
  #lastDemand = 0;
  readonly #demand: PoolDemand;
  #memoryCapped = 0;
  #peakBooting = 0;
  #lastBootMs = 0;
  #totalBootMs = 0;
  readonly #gate: RefillGate;
  /** A refill is put off until the gate lets it go: only boots for waiting calls start meanwhile. */
  #refillPutOff = false;

  constructor(options: SessionPoolOptions<R>) {
    this.#options = options;
    this.#gate = options.refillGate ?? new RefillGate();
    this.#target = options.warm;
    this.#peakTarget = options.warm;
    this.#maxWarm = Math.max(options.warm, options.maxWarm ?? options.warm);
    this.#bootConcurrency = Math.max(1, options.bootConcurrency ?? options.warm);
    this.#shrinkAfterMs = options.shrinkAfterMs ?? 60_000;
    this.#demand = new PoolDemand(options);
    const tick = Math.min(options.idleMs, this.#shrinkAfterMs, 30_000);
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(100, tick));
    this.#sweeper.unref();
    this.#fill();
  }

  get stats(): SessionPoolStats {
    return {
      boots: this.#boots,
      coldStarts: this.#coldStarts,
      warm: this.#warm.length,
      target: this.#target,
      peakTarget: this.#peakTarget,
      memoryCapped: this.#memoryCapped,
      booting: this.#booting.size,
      peakBooting: this.#peakBooting,
      lastBootMs: this.#lastBootMs,
      meanBootMs: this.#boots === 0 ? 0 : this.#totalBootMs / this.#boots,
      sessions: this.#sessions.size,
    };
  }

  /** Resolves once the warm pool is full; rejects when booting keeps failing. */
  async ready(): Promise<void> {
    this.#failures = 0;
    this.#refillPutOff = false;
    while (!this.#closed && this.#warm.length < this.#options.warm) {
      this.#fill();
      if (this.#booting.size === 0) throw this.#lastBootError ?? new Error('the pool could not boot');
      await Promise.race(this.#booting);
      if (this.#failures >= MAX_BOOT_FAILURES) throw this.#lastBootError;
    }
  }

  /** Runs `task` on the session's interpreter, after the session's earlier calls. */
  async withSession<T>(sessionId: string, task: (runner: R) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('the sandbox is closed');
    const session = this.#sessions.get(sessionId) ?? this.#open(sessionId);
    session.pending++;
    const run = session.tail.then(async () => {
      if (this.#closed) throw new Error('the sandbox is closed');
      // While any call holds an interpreter, put-off refills wait (RefillGate).
      const release = this.#gate.hold();
      try {
        if (session.runner === null || !session.runner.alive) session.runner = await this.#take();
        const runner = session.runner;
        try {
          return await task(runner);
        } finally {
          if (!runner.alive) {
            session.runner = null;
            void runner.dispose();
          }
          // A runner that died leaves room to refill; nothing to do when the pool is full or its refill is put off.
          this.#fill();
        }
      } finally {
        release();
      }
    });
    session.tail = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      session.pending--;
      session.lastUsed = Date.now();
    }
  }

  /** Stops the session's interpreter once its queued calls are done; its next call starts afresh. */
  async reset(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    await session.tail;
    const runner = session.runner;
    session.runner = null;
    if (session.pending === 0) this.#sessions.delete(sessionId);
    await runner?.dispose();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    clearInterval(this.#sweeper);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('the sandbox is closed'));
    const runners = [...this.#warm.splice(0), ...[...this.#sessions.values()].map((s) => s.runner)];
    this.#sessions.clear();
    await Promise.all(runners.map((runner) => runner?.dispose()));
    await Promise.allSettled(this.#booting);
  }

  #open(sessionId: string): PinnedSession<R> {
    if (this.#sessions.size >= this.#options.maxSessions) this.#evictOne();
    const session: PinnedSession<R> = {
      runner: null,
      tail: Promise.resolve(),
      pending: 0,
      lastUsed: Date.now(),
    };
    this.#sessions.set(sessionId, session);
    return session;
  }

  #evictOne(): void {
    let oldest: [string, PinnedSession<R>] | undefined;
    for (const entry of this.#sessions) {
      if (entry[1].pending === 0 && (!oldest || entry[1].lastUsed < oldest[1].lastUsed)) oldest = entry;
    }
    if (!oldest) throw new Error(`too many sessions: all ${this.#options.maxSessions} are busy`);
    this.#sessions.delete(oldest[0]);
    void oldest[1].runner?.dispose();
  }

  async #take(): Promise<R> {
    this.#demand.record(Date.now());
    this.#refillAhead();
    while (this.#warm.length > 0) {
      const runner = this.#warm.shift()!;
      if (runner.alive) {
        if (this.#warm.length === 0) {
          this.#grow();
          // Ran empty: refill at once (after the caller has its interpreter: a start costs the event loop a moment).
          this.#refillPutOff = false;
          setImmediate(() => this.#fill());
        } else if (this.#demand.recent(this.#meanBootMs(), Date.now()) > 1) {
          // New sessions come faster than boots: a refill put off would come too late for them. It starts
          // when this call ends (withSession), not beside it.
          this.#refillPutOff = false;
        } else {
          // Others are still warm: refill once no call of any pool sharing the gate holds an interpreter
          // (and none did for a moment), within a few seconds at most. A boot competes with calls for the
          // CPU (a Pyodide worker's start takes most of a second of it), on either runtime, and on a small
          // machine they would wait for it.
          this.#putOffRefill();
        }
        return runner;
      }
      void runner.dispose();
    }
    this.#coldStarts++;
    this.#failures = 0;
    this.#refillPutOff = false;
    this.#grow();
    // Wait for a boot under way (the prewarm's, a refill's) or one the pool starts for this call, in
    // turn: never a boot of its own beside them, beyond `bootConcurrency`, competing with them for CPU.
    const waiting = new Promise<R>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#fill();
    return waiting;
  }

  #putOffRefill(): void {
    if (this.#refillPutOff) return;
    this.#refillPutOff = true;
    this.#gate.putOff(() => {
      this.#refillPutOff = false;
      this.#fill();
      return Promise.allSettled([...this.#booting]);
    });
  }

  /** The pool ran empty: demand outran it, so keep more warm from now on (up to `maxWarm`). */
  #grow(): void {
    this.#raiseTarget(Math.max(this.#target + 1, this.#target * 2));
  }

  /** Keep as many warm, beyond the resting size, as new sessions came during one boot's time. */
  #refillAhead(): void {
    this.#raiseTarget(this.#options.warm + this.#demand.recent(this.#meanBootMs(), Date.now()));
  }

  #meanBootMs(): number {
    return this.#boots === 0 ? 1_000 : this.#totalBootMs / this.#boots;
  }

  /** Raises the target toward `wanted`, within `maxWarm` and the memory that is free. */
  #raiseTarget(wanted: number): void {
    const bounded = Math.min(this.#maxWarm, wanted);
    if (bounded <= this.#target) return;
    this.#lastDemand = Date.now();
    const fits = this.#warm.length + this.#booting.size + this.#demand.room();
    const next = Math.max(this.#target, Math.min(bounded, fits));
    if (next < bounded) this.#memoryCapped++;
    this.#target = next;
    this.#peakTarget = Math.max(this.#peakTarget, next);
  }

  #fill(): void {
    while (
      !this.#closed &&
      this.#failures < MAX_BOOT_FAILURES &&
      // Calls waiting get the boots under way first, and one each beyond them; the warm target is
      // refilled once none waits, so a call never has a boot started beside the one it waits for.
      (this.#waiters.length > 0
        ? this.#booting.size < this.#waiters.length
        : !this.#refillPutOff && this.#warm.length + this.#booting.size < this.#target) &&
      this.#booting.size < this.#bootConcurrency &&
      // Above the resting size and the calls waiting, only while memory is free.
      (this.#warm.length + this.#booting.size < this.#options.warm + this.#waiters.length ||
        this.#demand.room() > 0)
    ) {
      const boot = this.#bootOne().then(
        async (runner) => {
          const waiter = this.#waiters.shift();
          if (this.#closed) await runner.dispose();
          else if (waiter) waiter.resolve(runner);
          else this.#warm.push(runner);
        },
        (error) => {
          this.#waiters.shift()?.reject(error);
          // Booting keeps failing: the pool stops trying, so no call waits for it any longer.
          if (this.#failures >= MAX_BOOT_FAILURES)
            for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
        },
      );
      this.#booting.add(boot);
      this.#peakBooting = Math.max(this.#peakBooting, this.#booting.size);
      void boot.finally(() => {
        this.#booting.delete(boot);
        this.#fill();
      });
    }
  }

  async #bootOne(): Promise<R> {
    const started = performance.now();
    try {
      const runner = await this.#options.boot(this.#closing.signal);
      this.#lastBootMs = performance.now() - started;
      this.#totalBootMs += this.#lastBootMs;
      this.#boots++;
      this.#failures = 0;
      return runner;
    } catch (error) {
      this.#failures++;
      this.#lastBootError = error;
      throw error;
    }
  }

  #sweep(): void {
    const now = Date.now();
    if (this.#target > this.#options.warm && now - this.#lastDemand > this.#shrinkAfterMs) {
      // Quiet for a while: step back toward the resting size, one interpreter at a time.
      this.#target--;
      this.#lastDemand = now;
      if (this.#warm.length > this.#target) void this.#warm.pop()?.dispose();
    }
    for (const [id, session] of this.#sessions) {
      if (session.pending === 0 && now - session.lastUsed > this.#options.idleMs) {
        this.#sessions.delete(id);
        void session.runner?.dispose();
      }
    }
  }
}
