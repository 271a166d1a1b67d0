import {
  type ConnectionEvent,
  createPinnedAgent,
  type NetworkPolicy,
  type Resolver,
} from '@agentd/net-policy';
import type { Browser } from 'playwright-core';
import type { Agent } from 'undici';
import { WebToolError } from '../errors.js';
import { type BlackholeProxy, startBlackholeProxy } from './blackhole-proxy.js';
import { type BrowserLimits, browserLimits } from './browser-limits.js';
import { BrowserSession } from './browser-session.js';
import { DEFAULT_CHROMIUM_PATH, launchChromium, loadPlaywright } from './chromium-launcher.js';
import { chromiumProcessIds } from './chromium-processes.js';
import { loadExtractionLibraries } from './in-page-extract.js';

export interface BrowserPoolOptions {
  /** The system Chromium (the server passes AGENTD_CHROMIUM_PATH from its config); /usr/bin/chromium by default. */
  executablePath?: string;
  /** Browser contexts (conversations) open at once. Default 8. */
  maxSessions?: number;
  /** A conversation's context is closed after this long unused. Default 5 minutes. */
  sessionIdleMs?: number;
  /**
   * The browser itself is closed after this long without any context. By
   * default never: once the tool has been used, Chromium stays warm, so a
   * new conversation costs a context (tens of ms), not a launch.
   */
  browserIdleMs?: number;
  limits?: Partial<BrowserLimits>;
  /** DNS for the pinned connections; the system resolver by default. */
  resolver?: Resolver;
  onConnect?: (event: ConnectionEvent) => void;
  extraArgs?: readonly string[];
  /** Keep one context ready for the next new conversation (default true). */
  spareContext?: boolean;
  /**
   * When the spare is made, and a context evicted for room is closed:
   * 'after-first-call' (default) once the session that took the last one has
   * finished its first call, since a new context's renderer would take CPU
   * from that call; 'at-once' as soon as it is taken.
   */
  spareTiming?: 'after-first-call' | 'at-once';
}

export interface BrowserPoolStats {
  sessions: number;
  browserRunning: boolean;
  launches: number;
  /** A never-used context is ready for the next new conversation. */
  spareReady: boolean;
  /** New conversations that were handed a context made ahead of them (each spare goes to one). */
  sparesTaken: number;
  /** Connections Chromium tried to open by itself; anything but 0 means a request escaped the route guard. */
  directConnectionAttempts: number;
}

interface Running {
  browser: Browser;
  proxy: BlackholeProxy;
  finished: boolean;
}

/**
 * One Chromium shared by all conversations, each in a context of its own,
 * launched on first use, closed when idle, and relaunched after a crash.
 */
export class BrowserPool {
  readonly limits: BrowserLimits;
  readonly #options: BrowserPoolOptions;
  readonly #sessions = new Map<string, BrowserSession>();
  readonly #pending = new Map<string, Promise<BrowserSession>>();
  /** Sessions evicted to make room, still closing. */
  readonly #closing = new Set<Promise<void>>();
  /** One pinned connection pool per distinct policy (by its rules). */
  readonly #agents = new Map<string, Agent>();
  #running: Promise<Running> | undefined;
  /** A context made ahead of demand, under the last policy used: a new conversation takes it at once. */
  #spare: Promise<BrowserSession | undefined> | undefined;
  #spareReady = false;
  #sparesTaken = 0;
  #launches = 0;
  #escaped = 0;
  #idleSince = Date.now();
  #closed = false;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: BrowserPoolOptions = {}) {
    this.#options = options;
    this.limits = browserLimits(options.limits);
    const sweepEvery = Math.max(250, Math.min(30_000, (options.sessionIdleMs ?? 300_000) / 4));
    this.#sweeper = setInterval(() => void this.#sweep(), sweepEvery);
    this.#sweeper.unref();
  }

  /**
   * The session of a conversation, created (and the browser launched) if
   * needed. A session opened under other network rules is replaced.
   */
  async session(sessionId: string, policy: NetworkPolicy): Promise<BrowserSession> {
    if (this.#closed) throw new WebToolError('browser_failed', 'The browser pool is shut down.');
    const pending = this.#pending.get(sessionId);
    if (pending) await pending.catch(() => undefined);
    const existing = this.#sessions.get(sessionId);
    if (existing && !existing.closed && existing.policy.fingerprint === policy.fingerprint) return existing;
    const creating = this.#create(sessionId, policy, existing);
    this.#pending.set(sessionId, creating);
    try {
      return await creating;
    } finally {
      if (this.#pending.get(sessionId) === creating) this.#pending.delete(sessionId);
    }
  }

  async #create(
    sessionId: string,
    policy: NetworkPolicy,
    existing: BrowserSession | undefined,
  ): Promise<BrowserSession> {
    this.#idleSince = Date.now();
    if (existing) await this.closeSession(sessionId);
    const evicted = this.#makeRoom();
    let session: BrowserSession;
    try {
      session = (await this.#takeSpare(sessionId, policy)) ?? (await this.#newSession(sessionId, policy));
    } catch (error) {
      if (evicted) this.#closeLater(evicted, Promise.resolve());
      throw new WebToolError(
        'browser_failed',
        `Could not open a browser context: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.#sessions.set(sessionId, session);
    this.#idleSince = Date.now();
    const timing = this.#options.spareTiming ?? 'after-first-call';
    // The caller makes its first call as soon as it has the session: the spare's making, and the
    // evicted context's closing, wait for the moment the timing names.
    const ready =
      timing === 'at-once'
        ? Promise.resolve()
        : new Promise<void>((resolve) => setTimeout(() => void session.idle().then(resolve), 0));
    void ready.then(() => this.#prepareSpare(policy));
    if (evicted) this.#closeLater(evicted, ready);
    return session;
  }

  async #newSession(sessionId: string, policy: NetworkPolicy): Promise<BrowserSession> {
    const { browser } = await this.#browser();
    return BrowserSession.create(browser, sessionId, policy, this.limits, this.#agentFor(policy));
  }

  async #takeSpare(sessionId: string, policy: NetworkPolicy): Promise<BrowserSession | undefined> {
    const pending = this.#spare;
    // Taken off the pool before anything awaits: no second conversation can be handed the same one.
    this.#spare = undefined;
    this.#spareReady = false;
    const spare = await pending?.catch(() => undefined);
    if (!spare) return undefined;
    if (spare.closed || spare.policy.fingerprint !== policy.fingerprint) {
      await spare.close();
      return undefined;
    }
    spare.id = sessionId;
    this.#sparesTaken++;
    return spare;
  }

  /** Makes the next conversation's context in the background (a failure only means none is ready). */
  #prepareSpare(policy: NetworkPolicy): void {
    if (this.#spare || this.#closed || this.#options.spareContext === false) return;
    const making = this.#newSession('spare', policy).catch(() => undefined);
    this.#spare = making;
    void making.then(async (spare) => {
      // The pool closed while it was being made (a spare taken meanwhile is its conversation's now,
      // and one dropped is closed by whoever dropped it).
      if (spare && this.#closed) await spare.close();
      else if (spare && this.#spare === making) this.#spareReady = true;
    });
  }

  async #dropSpare(): Promise<void> {
    const pending = this.#spare;
    this.#spare = undefined;
    this.#spareReady = false;
    await (await pending?.catch(() => undefined))?.close();
  }

  /**
   * Readies the pool ahead of its first call, in the background of a server's
   * start: loads playwright-core and the extraction libraries (about a second
   * of module loading the first call would otherwise pay), and with `launch`
   * also starts Chromium and a spare context under `policy`. Never rejects: a
   * failure only leaves the work to the first call, which reports it.
   */
  async warm(options: { launch?: NetworkPolicy } = {}): Promise<void> {
    try {
      await loadPlaywright();
      loadExtractionLibraries();
      if (options.launch && !this.#closed) {
        await this.#browser();
        this.#prepareSpare(options.launch);
        await this.#spare;
      }
    } catch {}
  }

  async closeSession(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    if (this.#sessions.size === 0) this.#idleSince = Date.now();
    await session.close();
  }

  /** The ids of Chromium's processes (Linux), for memory reports and tests. */
  async processIds(): Promise<number[]> {
    const running = await this.#running?.catch(() => undefined);
    return running ? chromiumProcessIds(`--proxy-server=http://127.0.0.1:${running.proxy.port}`) : [];
  }

  async stats(): Promise<BrowserPoolStats> {
    const running = await this.#running?.catch(() => undefined);
    return {
      sessions: this.#sessions.size,
      browserRunning: running?.browser.isConnected() ?? false,
      launches: this.#launches,
      spareReady: this.#spareReady,
      sparesTaken: this.#sparesTaken,
      directConnectionAttempts: this.#escaped + (running?.proxy.attempts() ?? 0),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    await this.#dropSpare();
    await Promise.all([...this.#sessions.keys()].map((id) => this.closeSession(id)));
    await Promise.all(this.#closing);
    await this.#stopBrowser();
    await Promise.all([...this.#agents.values()].map((agent) => agent.close().catch(() => {})));
    this.#agents.clear();
  }

  #agentFor(policy: NetworkPolicy): Agent {
    let agent = this.#agents.get(policy.fingerprint);
    if (!agent) {
      agent = createPinnedAgent({
        policy,
        ...(this.#options.resolver ? { resolver: this.#options.resolver } : {}),
        ...(this.#options.onConnect ? { onConnect: this.#options.onConnect } : {}),
      });
      this.#agents.set(policy.fingerprint, agent);
    }
    return agent;
  }

  #browser(): Promise<Running> {
    this.#running ??= this.#launch();
    return this.#running;
  }

  async #launch(): Promise<Running> {
    const proxy = await startBlackholeProxy();
    try {
      const browser = await launchChromium({
        executablePath: this.#options.executablePath ?? DEFAULT_CHROMIUM_PATH,
        proxyPort: proxy.port,
        ...(this.#options.extraArgs ? { extraArgs: this.#options.extraArgs } : {}),
      });
      this.#launches++;
      const running: Running = { browser, proxy, finished: false };
      browser.on('disconnected', () => void this.#onDisconnected(running));
      return running;
    } catch (error) {
      await proxy.close();
      this.#running = undefined;
      throw new WebToolError(
        'browser_failed',
        `Could not start Chromium: ${(error as Error).message.split('\n')[0]}`,
        {
          cause: error,
        },
      );
    }
  }

  /** The browser exited or crashed: drop its sessions; the next call launches a new one. */
  async #onDisconnected(running: Running): Promise<void> {
    const current = await this.#running?.catch(() => undefined);
    await this.#finish(running);
    if (current !== running) return;
    this.#running = undefined;
    this.#sessions.clear();
    void this.#dropSpare();
    this.#idleSince = Date.now();
  }

  async #stopBrowser(): Promise<void> {
    await this.#dropSpare();
    const pending = this.#running;
    this.#running = undefined;
    const running = await pending?.catch(() => undefined);
    if (!running) return;
    await running.browser.close().catch(() => {});
    await this.#finish(running);
  }

  async #finish(running: Running): Promise<void> {
    if (running.finished) return;
    running.finished = true;
    this.#escaped += running.proxy.attempts();
    await running.proxy.close();
  }

  /** Retires the least recently used idle session when the pool is full; returns it, to be closed later. */
  #makeRoom(): BrowserSession | undefined {
    const max = this.#options.maxSessions ?? 8;
    for (const [id, session] of this.#sessions) if (session.closed) this.#sessions.delete(id);
    if (this.#sessions.size < max) return undefined;
    const idle = [...this.#sessions.values()].filter((session) => !session.busy);
    idle.sort((a, b) => a.lastUsed - b.lastUsed);
    const oldest = idle[0];
    if (!oldest) {
      throw new WebToolError('busy', `All ${max} browser sessions are in use; try again shortly.`);
    }
    this.#sessions.delete(oldest.id);
    oldest.retire();
    return oldest;
  }

  /**
   * Closes a retired session once `after` resolves. Closing a context costs
   * Chromium tens of ms to a few hundred under load, which the new call's
   * navigation need not share its CPU with.
   */
  #closeLater(session: BrowserSession, after: Promise<void>): void {
    const closing = after.then(() => session.close());
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }

  async #sweep(): Promise<void> {
    const now = Date.now();
    const sessionIdle = this.#options.sessionIdleMs ?? 300_000;
    for (const session of [...this.#sessions.values()]) {
      if (session.closed || (!session.busy && now - session.lastUsed > sessionIdle)) {
        await this.closeSession(session.id);
      }
    }
    const browserIdle = this.#options.browserIdleMs ?? Number.POSITIVE_INFINITY;
    const idle = this.#sessions.size === 0 && this.#pending.size === 0;
    if (idle && this.#running && now - this.#idleSince > browserIdle) {
      await this.#stopBrowser();
    }
  }
}
