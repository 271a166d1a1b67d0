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
 * The timer does not keep the process alive and stops with the last stream.
 */
export class HeartbeatWheel {
  private readonly slots: Set<Beating>[] = Array.from({ length: SLOTS }, () => new Set());
  private cursor = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly intervalMs: number) {}

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
    const slot = this.slots[(this.cursor + SLOTS - 1) % SLOTS] as Set<Beating>;
    slot.add(stream);
    this.count++;
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), Math.max(1, this.intervalMs / SLOTS));
      this.timer.unref();
    }
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

  private tick(): void {
    const slot = this.slots[this.cursor] as Set<Beating>;
    this.cursor = (this.cursor + 1) % SLOTS;
    for (const stream of slot) stream.beat();
  }
}

const wheels = new Map<number, HeartbeatWheel>();
