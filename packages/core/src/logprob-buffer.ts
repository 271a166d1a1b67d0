import type { TokenLogprob } from '@agentd/spec';

/**
 * The log probabilities of the answer being streamed: those not yet sent
 * with a (coalesced) delta, and all of the message's for its done events.
 */
export class LogprobBuffer {
  private pending: TokenLogprob[] = [];
  private kept: TokenLogprob[] = [];

  add(tokens: readonly TokenLogprob[] | undefined): void {
    if (!tokens) return;
    this.pending.push(...tokens);
    this.kept.push(...tokens);
  }

  /** Those that arrived since the last delta was sent. */
  take(): TokenLogprob[] {
    return this.pending.splice(0);
  }

  /** All of the message's, and a fresh start for the next message. */
  close(): TokenLogprob[] {
    const all = this.kept;
    this.pending = [];
    this.kept = [];
    return all;
  }
}
