import type { Logger } from 'pino';

export type CancelListener = (runId: string, reason: string) => void;

/**
 * The listeners of one RunCancels: each hears every cancel; one that throws
 * is logged and the others still hear it. The same entry may listen twice
 * (each `add` has its own removal).
 */
export class CancelListeners {
  private readonly listeners = new Set<CancelListener>();

  constructor(private readonly logger: Logger | undefined) {}

  add(listener: CancelListener): () => void {
    const entry: CancelListener = (runId, reason) => listener(runId, reason);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  tell(runId: string, reason: string): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(runId, reason);
      } catch (error) {
        this.logger?.error({ err: error, runId }, 'cancel listener failed');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
