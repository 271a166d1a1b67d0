/** A stream the wheel keeps alive. */
export interface Beating {
  /** Writes the heartbeat (an SSE comment). */
  beat(): void;
}

/** How many slots an interval is cut into: each tick writes to about 1/SLOTS of the streams. */
const SLOTS = 20;

/**
 * One timer for the heartbeats of every stream of the process that shares an
 * interval, instead of a timer per stream: a timer wheel of SLOTS slots, one
 * visited per tick (every interval / SLOTS), so each stream gets a heartbeat
 * once per interval, and the writes are spread over the interval rather than
 * made all at once (10,000 streams: 500 writes per tick of 100 ms, not 10,000
 * in one go that a new request would wait behind). A stream joins the slot
 * just visited, so its first heartbeat comes one interval after it opened.
 * Slots are visited by the clock (see `tick`): a late timer does not make
 * every later heartbeat late. The timer does not keep the process alive and
 * stops with the last stream.
 */
export class HeartbeatWheel {
  private readonly slots: Set<Beating>[] = Array.from({ length: SLOTS }, () => new Set());
  /** Ticks made since `epoch`: the next slot to visit is `visited % SLOTS`. */
  private visited = 0;
  private epoch = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly tickMs: number;

  private constructor(intervalMs: number) {
    this.tickMs = Math.max(1, intervalMs / SLOTS);
  }

  /** The process's wheel for `intervalMs`. */
  static every(intervalMs: number): HeartbeatWheel {
    let wheel = wheels.get(intervalMs);
    if (!wheel) {
      wheel = new HeartbeatWheel(intervalMs);
      wheels.set(intervalMs, wheel);
    }
    return wheel;
  }

  /** Starts the heartbeats of `stream`; returns their stop. */
  add(stream: Beating): () => void {
    if (!this.timer) {
      this.epoch = performance.now();
      this.visited = 0;
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
    // The slot visited last: its next visit is one interval away.
    const slot = this.slots[(this.visited + SLOTS - 1) % SLOTS] as Set<Beating>;
    slot.add(stream);
    this.count++;
    return () => {
      if (!slot.delete(stream)) return;
      this.count--;
      if (this.count > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    };
  }

  /** Streams it keeps alive now. */
  get size(): number {
    return this.count;
  }

  /**
   * Visits the slots due by the clock, not one per call: a timer that fires
   * late (a busy process) catches up at once instead of pushing every later
   * heartbeat back, so lateness never adds up from tick to tick.
   */
  private tick(): void {
    const due = Math.floor((performance.now() - this.epoch) / this.tickMs);
    // After a long stall, one round of the wheel is enough: every stream gets one heartbeat.
    if (due - this.visited > SLOTS) this.visited = due - SLOTS;
    while (this.visited < due) {
      const slot = this.slots[this.visited % SLOTS] as Set<Beating>;
      this.visited++;
      for (const stream of slot) stream.beat();
    }
  }
}

const wheels = new Map<number, HeartbeatWheel>();
