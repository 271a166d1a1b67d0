import type { ResponseEvent, RunEventBus, RunEventListener, RunSubscribeOptions } from '@agentd/spec';
import type { Logger } from 'pino';
import { type Delivery, deliverFresh } from './deliver-fresh.js';

type Subscription = Delivery & { endOnly: boolean };

export interface InProcessRunEventBusOptions {
  /** Told about a listener that threw; the other listeners and the publisher carry on. */
  logger?: Logger;
}

/**
 * The embedded bus: listeners in this process, called during `publish`.
 * It holds no history, so a subscription's replay is empty: followers read
 * what came before from the log.
 */
export class InProcessRunEventBus implements RunEventBus {
  readonly healthy = true;
  private readonly runs = new Map<string, Set<Subscription>>();
  private closed = false;

  constructor(private readonly options: InProcessRunEventBusOptions = {}) {}

  async publish(runId: string, events: readonly ResponseEvent[]): Promise<void> {
    if (this.closed) throw new Error('The run event bus is closed');
    for (const subscription of [...(this.runs.get(runId) ?? [])]) this.deliver(runId, subscription, events);
  }

  subscribe(
    runId: string,
    after: number,
    listener: RunEventListener,
    options: RunSubscribeOptions = {},
  ): () => void {
    if (this.closed) return () => {};
    let subscriptions = this.runs.get(runId);
    if (!subscriptions) {
      subscriptions = new Set();
      this.runs.set(runId, subscriptions);
    }
    const subscription: Subscription = { listener, last: after, endOnly: options.endOnly === true };
    subscriptions.add(subscription);
    return () => {
      if (!subscriptions.delete(subscription)) return;
      if (subscriptions.size === 0 && this.runs.get(runId) === subscriptions) this.runs.delete(runId);
    };
  }

  /** Whether a listener here takes the run's events as they come (every listener of an embedded run is here). */
  followedLive(runId: string): boolean {
    for (const subscription of this.runs.get(runId) ?? []) if (!subscription.endOnly) return true;
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.runs.clear();
  }

  private deliver(runId: string, subscription: Delivery, events: readonly ResponseEvent[]): void {
    deliverFresh(subscription, events, runId, this.options.logger);
  }
}
