/** The most items one write takes; a longer queue is written in several. */
const MAX_GROUP = 256;

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the items added while a write is in flight are written
 * together by the next one, so many writers cost one statement and not one
 * each. An item added when nothing is in flight is written at once (after
 * the current turn of the event loop, which gathers the items added in it).
 *
 * `write` returns one result per item, in order. If a write of several items
 * fails, each is retried alone: one bad item fails only its own `add`.
 */
export class GroupCommit<T, R = undefined> {
  private queue: Pending<T, R>[] = [];
  private writing = false;

  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

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
      const group = this.queue.splice(0, MAX_GROUP);
      if (group.length === 1) await this.writeAlone(group[0]!);
      else await this.writeGroup(group);
    }
    this.writing = false;
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
