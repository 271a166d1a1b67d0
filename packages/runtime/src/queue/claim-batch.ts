/** The most claims one statement takes; a longer queue is sent in several. */
const MAX_BATCH = 128;

interface Waiting<Claim, Result> {
  claim: Claim;
  resolve: (result: Result | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Claims gathered into one statement: those asked for while a statement is
 * in flight go together in the next, so a worker taking many runs at once
 * (64 in flight) pays a round trip per batch, not per run. A claim asked for
 * when nothing is in flight goes after the current turn of the event loop,
 * with whatever else was asked for in it. Two claims of one run in a batch
 * (its job delivered twice) cannot both win: the second waits for the next
 * statement, where the run is held and its claim finds nothing.
 */
export class ClaimBatch<Claim, Result> {
  private queue: Waiting<Claim, Result>[] = [];
  private sending = false;

  constructor(
    private readonly keyOf: (claim: Claim) => string,
    /** One statement for the claims; each result's key says which claim it answers. */
    private readonly send: (claims: Claim[]) => Promise<Map<string, Result>>,
  ) {}

  claim(claim: Claim): Promise<Result | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ claim, resolve, reject });
      if (this.sending) return;
      this.sending = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Waiting<Claim, Result>[] = [];
      const later: Waiting<Claim, Result>[] = [];
      const keys = new Set<string>();
      for (const waiting of this.queue) {
        const key = this.keyOf(waiting.claim);
        if (keys.has(key) || batch.length >= MAX_BATCH) later.push(waiting);
        else {
          keys.add(key);
          batch.push(waiting);
        }
      }
      this.queue = later;
      try {
        await this.sendAndAnswer(batch);
      } catch (error) {
        // One claim's failure (or a deadlock with another process's statement) fails only its own.
        if (batch.length === 1) batch[0]!.reject(error);
        else await Promise.all(batch.map((waiting) => this.sendAndAnswer([waiting]).catch(waiting.reject)));
      }
    }
    this.sending = false;
  }

  private async sendAndAnswer(batch: Waiting<Claim, Result>[]): Promise<void> {
    const results = await this.send(batch.map((waiting) => waiting.claim));
    for (const waiting of batch) waiting.resolve(results.get(this.keyOf(waiting.claim)));
  }
}
