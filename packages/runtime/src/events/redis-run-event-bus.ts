/**
 * The run event bus of scaled mode, on Redis: any process streams any run.
 *
 * Publishing a batch is one MULTI on the command connection:
 * - XADD of each event to the run's stream `${prefix}run:${runId}`, under the
 *   explicit id `${sequence_number}-0` (sequence numbers start at 1), capped
 *   with MAXLEN ~ `maxLen`;
 * - PUBLISH of the whole batch, as JSON, on the run's channel (the same name:
 *   Redis keeps channels and keys apart);
 * - when the batch holds the terminal event, EXPIRE of the stream after
 *   `endedTtlSeconds`: it is trimmed once the run has ended, since the
 *   database holds the durable log.
 * An event published twice is refused by its stream (its id is not above the
 * top) and published again on the channel, where listeners drop it.
 *
 * Subscribing uses one subscriber connection per bus: SUBSCRIBE on the first
 * listener of a run, UNSUBSCRIBE after its last. Once the SUBSCRIBE is
 * acknowledged, each new listener gets a replay of the stream after its
 * `after` (XRANGE from `(${after}-0`), so nothing falls between the replay and
 * the live messages; live messages that arrive during the replay wait behind
 * it. Every listener gets each sequence number once, in order (duplicates are
 * dropped by sequence number, per listener).
 *
 * Outages: both connections fail fast (no offline queue, no command retry, a
 * command timeout), so `publish` rejects within milliseconds while Redis is
 * away. It never throws into a run: the caller (the run recorder) logs the
 * rejection and carries on, since the events are already in the database and
 * followers read them from there (see follow-run.ts). `healthy` is false while
 * either connection is down. The connections reconnect on their own; then
 * every run is subscribed again and every listener gets a replay from the
 * last event it was given, so a short outage leaves no gap that the stream
 * still holds.
 */
import type { ResponseEvent, RunEventBus, RunEventListener } from '@agentd/spec';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedisConnection, createRedisConnection, untilReady } from '../redis/redis-connection.js';
import { type Delivery, deliverFresh } from './deliver-fresh.js';
import { isTerminalEvent } from './terminal-event.js';

export interface RedisRunEventBusOptions {
  /** The Redis server, as `redis://[:password@]host:port[/db]`. */
  url: string;
  /** Prefixes every key and channel, so several deployments (or tests) share one Redis. Default `agentd:`. */
  prefix?: string;
  /** About how many events a run's stream keeps (MAXLEN ~). Default 5,000. */
  maxLen?: number;
  /** How long a run's stream outlives its terminal event. Default 60 s. */
  endedTtlSeconds?: number;
  /** How long `openRedisRunEventBus` waits for Redis. Default 5 s. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

interface Subscription extends Delivery {
  /**
   * Live batches held back until a replay has been read: set before SUBSCRIBE
   * is sent, since its acknowledgement and the first messages can arrive in
   * one read, before the code awaiting the SUBSCRIBE runs.
   */
  held: ResponseEvent[][] | undefined;
  replaying: boolean;
  /** Asked for another replay while one was under way (a reconnect). */
  replayAgain: boolean;
  active: boolean;
}

interface RunChannel {
  readonly runId: string;
  readonly subscriptions: Set<Subscription>;
  /** SUBSCRIBE acknowledged on the current subscriber connection. */
  subscribed: boolean;
}

/** A stream entry as XRANGE returns it: its id, and its fields and values in turn. */
type StreamEntry = [id: string, fields: string[]];

const DUPLICATE_ID = 'equal or smaller than the target stream top item';

/** Opens a bus once both its connections are ready; rejects if Redis cannot be reached in time. */
export async function openRedisRunEventBus(options: RedisRunEventBusOptions): Promise<RedisRunEventBus> {
  const bus = new RedisRunEventBus(options);
  try {
    await bus.ready(options.connectTimeoutMs ?? 5_000);
  } catch (error) {
    await bus.close();
    throw error;
  }
  return bus;
}

export class RedisRunEventBus implements RunEventBus {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly maxLen: number;
  private readonly endedTtlSeconds: number;
  private readonly runs = new Map<string, RunChannel>();
  private closed = false;

  /** Connects in the background; `healthy` turns true once both connections are ready. */
  constructor(private readonly options: RedisRunEventBusOptions) {
    this.prefix = options.prefix ?? 'agentd:';
    this.maxLen = options.maxLen ?? 5_000;
    this.endedTtlSeconds = options.endedTtlSeconds ?? 60;
    this.commands = createRedisConnection(options.url, 'agentd-run-events', options.logger);
    this.subscriber = createRedisConnection(options.url, 'agentd-run-events-sub', options.logger);
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    this.subscriber.on('close', () => {
      for (const run of this.runs.values()) run.subscribed = false;
    });
    this.subscriber.on('ready', () => this.catchUp());
    this.commands.on('ready', () => this.catchUp());
  }

  get healthy(): boolean {
    return !this.closed && this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Waits until both connections are ready. */
  async ready(timeoutMs: number): Promise<void> {
    await Promise.all([
      untilReady(this.commands, this.options.url, timeoutMs),
      untilReady(this.subscriber, this.options.url, timeoutMs),
    ]);
  }

  async publish(runId: string, events: readonly ResponseEvent[]): Promise<void> {
    if (this.closed) throw new Error('The run event bus is closed');
    if (events.length === 0) return;
    const key = this.key(runId);
    const multi = this.commands.multi();
    // Each event is serialized once: for its stream entry and, joined, for the live message.
    const json = events.map((event) => JSON.stringify(event));
    events.forEach((event, i) => {
      multi.xadd(key, 'MAXLEN', '~', this.maxLen, `${event.sequence_number}-0`, 'e', json[i] as string);
    });
    multi.publish(key, `[${json.join(',')}]`);
    if (events.some(isTerminalEvent)) multi.expire(key, this.endedTtlSeconds);
    const results = await multi.exec();
    if (!results) throw new Error('The run event batch was not applied (transaction aborted)');
    for (const [error] of results) {
      if (error && !error.message.includes(DUPLICATE_ID)) throw error;
    }
  }

  subscribe(runId: string, after: number, listener: RunEventListener): () => void {
    if (this.closed) return () => {};
    const subscription: Subscription = {
      listener,
      last: after,
      held: [],
      replaying: false,
      replayAgain: false,
      active: true,
    };
    let run = this.runs.get(runId);
    if (run) {
      run.subscriptions.add(subscription);
      if (run.subscribed) void this.replay(runId, subscription);
    } else {
      run = { runId, subscriptions: new Set([subscription]), subscribed: false };
      this.runs.set(runId, run);
      void this.attach(run);
    }
    const channel = run;
    return () => {
      subscription.active = false;
      if (!channel.subscriptions.delete(subscription) || channel.subscriptions.size > 0) return;
      if (this.runs.get(runId) !== channel) return;
      this.runs.delete(runId);
      if (channel.subscribed && this.subscriber.status === 'ready') {
        this.subscriber.unsubscribe(this.key(runId)).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const run of this.runs.values()) {
      for (const subscription of run.subscriptions) subscription.active = false;
    }
    this.runs.clear();
    await Promise.all([closeRedisConnection(this.commands), closeRedisConnection(this.subscriber)]);
  }

  private key(runId: string): string {
    return `${this.prefix}run:${runId}`;
  }

  /** Subscribes to a run's channel, then replays its stream to every listener. Retried on reconnect. */
  private async attach(run: RunChannel): Promise<void> {
    if (this.closed || this.subscriber.status !== 'ready') return;
    for (const subscription of run.subscriptions) subscription.held ??= [];
    try {
      await this.subscriber.subscribe(this.key(run.runId));
    } catch {
      return; // the connection dropped: `catchUp` subscribes again once it is back
    }
    if (this.subscriber.status !== 'ready') return;
    const current = this.runs.get(run.runId);
    if (current !== run) {
      // Every listener left while SUBSCRIBE was on its way; a newer subscription has its own in flight.
      if (!current) this.subscriber.unsubscribe(this.key(run.runId)).catch(() => undefined);
      return;
    }
    run.subscribed = true;
    for (const subscription of run.subscriptions) void this.replay(run.runId, subscription);
  }

  /** After a connection came back: subscribe again, and replay what each listener may have missed. */
  private catchUp(): void {
    if (this.closed) return;
    for (const run of this.runs.values()) {
      if (!run.subscribed) void this.attach(run);
      else for (const subscription of run.subscriptions) void this.replay(run.runId, subscription);
    }
  }

  private async replay(runId: string, subscription: Subscription): Promise<void> {
    if (subscription.replaying) {
      subscription.replayAgain = true;
      return;
    }
    subscription.replaying = true;
    subscription.held ??= [];
    let replayed: ResponseEvent[] = [];
    try {
      const entries = (await this.commands.xrange(
        this.key(runId),
        `(${subscription.last}-0`,
        '+',
      )) as StreamEntry[];
      replayed = entries.flatMap(([, fields]) => (fields[1] ? [JSON.parse(fields[1]) as ResponseEvent] : []));
    } catch (error) {
      // Redis went away: live messages (if any) still flow, and the follower fills the gap from the log.
      this.options.logger?.debug({ err: error, runId }, 'run event replay failed');
    }
    const held = subscription.held ?? [];
    subscription.held = undefined;
    subscription.replaying = false;
    this.deliver(runId, subscription, replayed);
    for (const batch of held) this.deliver(runId, subscription, batch);
    if (subscription.replayAgain && subscription.active && !this.closed) {
      subscription.replayAgain = false;
      await this.replay(runId, subscription);
    }
  }

  private onMessage(channel: string, message: string): void {
    const runId = channel.slice(`${this.prefix}run:`.length);
    const run = this.runs.get(runId);
    if (!run) return;
    let events: ResponseEvent[];
    try {
      events = JSON.parse(message) as ResponseEvent[];
    } catch (error) {
      this.options.logger?.warn({ err: error, runId }, 'unreadable run event message dropped');
      return;
    }
    for (const subscription of [...run.subscriptions]) {
      if (subscription.held) subscription.held.push(events);
      else this.deliver(runId, subscription, events);
    }
  }

  private deliver(runId: string, subscription: Subscription, events: readonly ResponseEvent[]): void {
    if (subscription.active) deliverFresh(subscription, events, runId, this.options.logger);
  }
}
