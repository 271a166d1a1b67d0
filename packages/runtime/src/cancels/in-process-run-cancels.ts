import type { RunCancels } from '@agentd/spec';
import type { Logger } from 'pino';

type CancelListener = (runId: string, reason: string) => void;

export interface InProcessRunCancelsOptions {
  /** Told about a listener that threw; the others still hear the cancel. */
  logger?: Logger;
}

/** The embedded cancels: every run lives in this process, so a request goes straight to its listeners. */
export class InProcessRunCancels implements RunCancels {
  private readonly listeners = new Set<CancelListener>();
  private closed = false;

  constructor(private readonly options: InProcessRunCancelsOptions = {}) {}

  async request(runId: string, reason: string): Promise<void> {
    if (this.closed) throw new Error('The run cancels are closed');
    for (const listener of [...this.listeners]) {
      try {
        listener(runId, reason);
      } catch (error) {
        this.options.logger?.error({ err: error, runId }, 'cancel listener failed');
      }
    }
  }

  listen(listener: CancelListener): () => void {
    if (this.closed) return () => {};
    const entry: CancelListener = (runId, reason) => listener(runId, reason);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
