import type { RunCancels } from '@agentd/spec';
import type { Logger } from 'pino';
import { type CancelListener, CancelListeners } from './cancel-listeners.js';

export interface InProcessRunCancelsOptions {
  /** Told about a listener that threw; the others still hear the cancel. */
  logger?: Logger;
}

/** The embedded cancels: every run lives in this process, so a request goes straight to its listeners. */
export class InProcessRunCancels implements RunCancels {
  private readonly listeners: CancelListeners;
  private closed = false;

  constructor(options: InProcessRunCancelsOptions = {}) {
    this.listeners = new CancelListeners(options.logger);
  }

  async request(runId: string, reason: string): Promise<void> {
    if (this.closed) throw new Error('The run cancels are closed');
    this.listeners.tell(runId, reason);
  }

  listen(listener: CancelListener): () => void {
    return this.closed ? () => {} : this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
