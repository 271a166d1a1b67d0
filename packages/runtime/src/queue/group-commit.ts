/** The most items one write takes by default; a longer queue is written in several. */
const MAX_GROUP = 256;

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<T> {
  /** The most items one write takes (default 256). */
  maxGroup?: number;
  /**
   * Items of one key never share a write: the second waits for the next one.
   * Claims of one run (its job delivered twice) cannot both win that way:
   * the later finds the run held.
   */
  keyOf?: (item: T) => string;
}

/**
 * Group commit: the items added while a write is in flight are written
 * together by the next one, so many writers cost one statement and not one
 * each. An item added when nothing is in flight is written at once (after
 * the current turn of the event loop, which gathers the items added in it).
 * Used for the server's response and usage writes and the worker's claims.
 *
 * `write` returns one result per item, in order. If a write of several items
 * fails (a bad item, or a deadlock with another process's statement), each
 * is retried alone: one bad item fails only its own `add`.
 */
export class GroupCommit<T, R = undefined> {
  private queue: Pending<T, R>[] = [];
  private writing = false;
  private readonly maxGroup: number;
  private readonly keyOf: ((item: T) => string) | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    options: GroupCommitOptions<T> = {},
  ) {
    this.maxGroup = options.maxGroup ?? MAX_GROUP;
    this.keyOf = options.keyOf;
  }

  /** Resolves with the item's result once it is written. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.nextGroup();
      if (group.length === 1) await this.writeAlone(group[0]!);
      else await this.writeGroup(group);
    }
    this.writing = false;
  }

  /** The next write's items, oldest first; with `keyOf`, at most one of each key. */
  private nextGroup(): Pending<T, R>[] {
    const keyOf = this.keyOf;
    if (!keyOf) return this.queue.splice(0, this.maxGroup);
    const group: Pending<T, R>[] = [];
    const later: Pending<T, R>[] = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const key = keyOf(pending.item);
      if (keys.has(key) || group.length >= this.maxGroup) later.push(pending);
      else {
        keys.add(key);
        group.push(pending);
      }
    }
    this.queue = later;
    return group;
  }

  private async writeGroup(group: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.write(group.map((entry) => entry.item));
    } catch {
      await Promise.all(group.map((entry) => this.writeAlone(entry)));
      return;
    }
    for (const [index, entry] of group.entries()) entry.resolve(results[index]!);
  }

  private async writeAlone(entry: Pending<T, R>): Promise<void> {
    try {
      const [result] = await this.write([entry.item]);
      entry.resolve(result!);
    } catch (error) {
      entry.reject(error);
    }
  }
}
