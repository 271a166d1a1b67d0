import type { ResponseEvent } from '@agentd/spec';

export type RunEventListener = (events: ResponseEvent[]) => void;

/** Live fan-out of persisted run events to the streams that watch them. */
export interface RunEventBus {
  publish(responseId: string, events: ResponseEvent[]): void;
  subscribe(responseId: string, listener: RunEventListener): () => void;
}

/** The embedded bus: listeners in this process. */
export class InProcessRunEventBus implements RunEventBus {
  private readonly listeners = new Map<string, Set<RunEventListener>>();

  publish(responseId: string, events: ResponseEvent[]): void {
    for (const listener of this.listeners.get(responseId) ?? []) listener(events);
  }

  subscribe(responseId: string, listener: RunEventListener): () => void {
    let set = this.listeners.get(responseId);
    if (!set) {
      set = new Set();
      this.listeners.set(responseId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(responseId);
    };
  }
}
