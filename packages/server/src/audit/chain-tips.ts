/** Where a chain ends: its last sequence and hash. */
export interface ChainTip {
  sequence: number;
  hash: string;
}

/** Tenants whose tips a process remembers; past it the oldest are forgotten (and read again when needed). */
const MAX_TIPS = 10_000;

/**
 * Where this process last saw each tenant's audit chain end, and one queue
 * per tenant for the appends that chain onto it. A tip is a guess: an append
 * built on a stale one is refused by the database whole (compare and set),
 * and the writer falls back to locking the head. Queuing a tenant's appends
 * in the process keeps them from refusing each other.
 */
export class ChainTips {
  private readonly tips = new Map<string, ChainTip>();
  private readonly tails = new Map<string, Promise<void>>();

  get(tenantId: string): ChainTip | undefined {
    return this.tips.get(tenantId);
  }

  /** Remembers a tip, unless one further along is already known. */
  advance(tenantId: string, tip: ChainTip): void {
    const known = this.tips.get(tenantId);
    if (known && known.sequence >= tip.sequence) return;
    this.tips.delete(tenantId);
    this.tips.set(tenantId, tip);
    if (this.tips.size > MAX_TIPS) {
      const oldest = this.tips.keys().next().value;
      if (oldest !== undefined) this.tips.delete(oldest);
    }
  }

  /** Forgets a tip found stale. */
  forget(tenantId: string): void {
    this.tips.delete(tenantId);
  }

  /** Runs `fn` after every earlier `exclusive` of any of `tenants` in this process has ended. */
  async exclusive<T>(tenants: readonly string[], fn: () => Promise<T>): Promise<T> {
    const before = tenants.flatMap((tenant) => this.tails.get(tenant) ?? []);
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const tenant of tenants) this.tails.set(tenant, done);
    try {
      await Promise.all(before);
      return await fn();
    } finally {
      release();
      for (const tenant of tenants) if (this.tails.get(tenant) === done) this.tails.delete(tenant);
    }
  }
}
