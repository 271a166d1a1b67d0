/**
 * Cancels of scaled mode, on Redis: a request is a PUBLISH on one channel,
 * `${prefix}cancels`, that every process subscribes to (this one too); the
 * process running the run stops it, the others ignore it. Pub/sub, not a
 * stream: a cancel matters only to a process that is up to hear it, and a
 * run whose process is gone is ended by whoever claims it next.
 *
 * While Redis is away, `request` rejects at once (no offline queue), so the
 * caller can say so instead of pretending the run was stopped. Both
 * connections reconnect on their own, and the channel is subscribed again.
 */
import type { RunCancels } from '@agentd/spec';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedisConnection, createRedisConnection, untilReady } from '../redis/redis-connection.js';
import { type CancelListener, CancelListeners } from './cancel-listeners.js';

export interface RedisRunCancelsOptions {
  /** The Redis server, as `redis://[:password@]host:port[/db]`. */
  url: string;
  /** Prefixes the channel, so several deployments (or tests) share one Redis. Default `agentd:`. */
  prefix?: string;
  /** How long `openRedisRunCancels` waits for Redis. Default 5 s. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** Opens the cancels once both connections are ready and the channel is subscribed; rejects if Redis cannot be reached in time. */
export async function openRedisRunCancels(options: RedisRunCancelsOptions): Promise<RedisRunCancels> {
  const cancels = new RedisRunCancels(options);
  try {
    await cancels.ready(options.connectTimeoutMs ?? 5_000);
  } catch (error) {
    await cancels.close();
    throw error;
  }
  return cancels;
}

export class RedisRunCancels implements RunCancels {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly listeners: CancelListeners;
  private subscribed: Promise<void> | undefined;
  private listening = false;
  private closed = false;

  /** Connects in the background; cancels are heard once the channel is subscribed. */
  constructor(private readonly options: RedisRunCancelsOptions) {
    this.channel = `${options.prefix ?? 'agentd:'}cancels`;
    this.listeners = new CancelListeners(options.logger);
    this.commands = createRedisConnection(options.url, 'agentd-run-cancels', options.logger);
    this.subscriber = createRedisConnection(options.url, 'agentd-run-cancels-sub', options.logger);
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
    this.subscriber.on('close', () => {
      this.listening = false;
    });
    this.subscriber.on('ready', () => {
      this.subscribed = this.subscriber.subscribe(this.channel).then(
        () => {
          this.listening = this.subscriber.status === 'ready';
        },
        (error: unknown) => this.options.logger?.debug({ err: error }, 'cancel channel subscribe failed'),
      );
    });
  }

  /** Whether requests can be sent, and this process hears them (its channel is subscribed). */
  get healthy(): boolean {
    return !this.closed && this.commands.status === 'ready' && this.listening;
  }

  /** Waits until both connections are ready and the channel is subscribed. */
  async ready(timeoutMs: number): Promise<void> {
    await Promise.all([
      untilReady(this.commands, this.options.url, timeoutMs),
      untilReady(this.subscriber, this.options.url, timeoutMs),
    ]);
    await this.subscribed;
  }

  async request(runId: string, reason: string): Promise<void> {
    if (this.closed) throw new Error('The run cancels are closed');
    await this.commands.publish(this.channel, JSON.stringify({ runId, reason }));
  }

  listen(listener: CancelListener): () => void {
    return this.closed ? () => {} : this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.all([closeRedisConnection(this.commands), closeRedisConnection(this.subscriber)]);
  }

  private onMessage(channel: string, message: string): void {
    if (channel !== this.channel) return;
    let cancel: { runId?: unknown; reason?: unknown };
    try {
      cancel = JSON.parse(message) as typeof cancel;
    } catch {
      cancel = {};
    }
    if (typeof cancel.runId !== 'string' || typeof cancel.reason !== 'string') {
      this.options.logger?.warn({ channel }, 'unreadable cancel message dropped');
      return;
    }
    this.listeners.tell(cancel.runId, cancel.reason);
  }
}
