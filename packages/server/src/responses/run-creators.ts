import type { Principal } from '@agentd/spec';

/** Runs remembered; past it the oldest are forgotten (and their batches audited the locked way). */
const MAX_RUNS = 50_000;

/**
 * Who created each unfinished run a process created or read: the actor its
 * audit events name, known before its batches are written (a batch and its
 * audit events go in one statement). `null`: a run stored before runs kept
 * their principal.
 */
export class RunCreators {
  private readonly creators = new Map<string, Principal | null>();

  set(responseId: string, principal: Principal | undefined): void {
    this.creators.set(responseId, principal ?? null);
    if (this.creators.size > MAX_RUNS) {
      const oldest = this.creators.keys().next().value;
      if (oldest !== undefined) this.creators.delete(oldest);
    }
  }

  /** The creator, null for none recorded, undefined when this process does not know the run. */
  get(responseId: string): Principal | null | undefined {
    return this.creators.get(responseId);
  }

  delete(responseId: string): void {
    this.creators.delete(responseId);
  }
}
