import type { NetworkPolicy } from '@agentd/net-policy';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { Dispatcher } from 'undici';
import { WebToolError } from '../errors.js';
import { type FindResult, findInParts } from '../extract/find-in-parts.js';
import type { ExtractedPage } from '../extract/html-to-markdown.js';
import { paginate } from '../extract/paginate.js';
import type { BrowserLimits } from './browser-limits.js';
import { type CurrentPage, type PageSnapshot, rangeOf, snapshotOf } from './current-page.js';
import { DeadlineExceeded, withDeadline } from './deadline.js';
import { followNavigation } from './follow-navigation.js';
import { loadVisuals } from './load-visuals.js';
import { isClosedError } from './navigation-failure.js';
import { readPage } from './read-page.js';
import { CUT_AT_LIMIT, type RequestRecord, RouteGuard } from './route-guard.js';

export interface Screenshot {
  png: Uint8Array;
  url: string;
  title: string;
}

/**
 * One conversation's browser: a context of its own (cookies and history are
 * not shared with other conversations) with one page. Calls run one at a
 * time, each within a deadline; a call that overruns, or a page that
 * crashes, costs the page (a fresh one replaces it), never the caller's wait.
 */
export class BrowserSession {
  /** The conversation; a spare session made ahead of demand gets it when it is handed out. */
  id: string;
  readonly policy: NetworkPolicy;
  lastUsed = Date.now();
  readonly #context: BrowserContext;
  readonly #limits: BrowserLimits;
  readonly #guard: RouteGuard;
  #page!: Page;
  #current: CurrentPage | undefined;
  #queue: Promise<void> = Promise.resolve();
  #busy = false;
  #closed = false;
  #crashed = false;

  private constructor(
    id: string,
    policy: NetworkPolicy,
    context: BrowserContext,
    limits: BrowserLimits,
    dispatcher: Dispatcher,
  ) {
    this.id = id;
    this.policy = policy;
    this.#context = context;
    this.#limits = limits;
    this.#guard = new RouteGuard({
      policy,
      dispatcher,
      mainFrame: () => this.#page.mainFrame(),
      maxRedirects: limits.maxRedirects,
      maxDocumentBytes: limits.maxDocumentBytes,
      maxResourceBytes: limits.maxResourceBytes,
      maxTotalBytes: limits.maxTotalBytes,
      requestTimeoutMs: limits.requestTimeoutMs,
      deferVisuals: limits.subresources === 'text',
    });
    context.on('close', () => {
      this.#closed = true;
    });
  }

  static async create(
    browser: Browser,
    id: string,
    policy: NetworkPolicy,
    limits: BrowserLimits,
    dispatcher: Dispatcher,
  ): Promise<BrowserSession> {
    const context = await browser.newContext({
      acceptDownloads: false,
      serviceWorkers: 'block',
      viewport: limits.viewport,
      javaScriptEnabled: true,
      ...(limits.userAgent ? { userAgent: limits.userAgent } : {}),
    });
    try {
      const session = new BrowserSession(id, policy, context, limits, dispatcher);
      await context.route('**/*', session.#guard.handle);
      await context.routeWebSocket(/.*/, (socket) => {
        socket
          .close({ code: 1008, reason: 'WebSockets are not available to the agent browser' })
          .catch(() => {});
      });
      session.#page = await session.#newPage();
      return session;
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  /** Resolves once the calls queued so far are done. */
  idle(): Promise<void> {
    return this.#queue;
  }

  get busy(): boolean {
    return this.#busy;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The whole extracted page the session is on (all parts), if any. */
  get page(): ExtractedPage | undefined {
    return this.#current?.extracted;
  }

  /** Pages open in this conversation's context: 1, since pop-ups are closed. */
  get openPages(): number {
    return this.#context.pages().length;
  }

  /** The requests of the last navigation and what became of them. */
  get requests(): readonly RequestRecord[] {
    return this.#guard.records;
  }

  open(url: string, signal?: AbortSignal): Promise<PageSnapshot> {
    return this.#run(signal, async () => {
      const target = this.policy.assertUrl(url);
      return this.#navigate(target.href, (timeout) =>
        this.#page.goto(target.href, { waitUntil: 'domcontentloaded', timeout }),
      );
    });
  }

  follow(linkNumber: number, signal?: AbortSignal): Promise<PageSnapshot> {
    return this.#run(signal, async () => {
      const current = this.#requireCurrent();
      const link = current.extracted.links.find((candidate) => candidate.number === linkNumber);
      if (!link)
        throw new WebToolError(
          'no_page',
          `There is no link [${linkNumber}] on this page (${rangeOf(current.extracted.links)}).`,
        );
      const target = this.policy.assertUrl(link.url);
      return this.#navigate(target.href, (timeout) =>
        this.#page.goto(target.href, {
          waitUntil: 'domcontentloaded',
          timeout,
          referer: current.extracted.url,
        }),
      );
    });
  }

  back(signal?: AbortSignal): Promise<PageSnapshot> {
    return this.#run(signal, async () => {
      this.#requireCurrent();
      return this.#navigate('the previous page', async (timeout) => {
        const before = this.#page.url();
        const response = await this.#page.goBack({ waitUntil: 'domcontentloaded', timeout });
        // The blank page every tab starts on is not a page the model opened.
        if (this.#page.url() === 'about:blank') {
          await this.#page.goForward({ waitUntil: 'domcontentloaded', timeout }).catch(() => null);
          throw new WebToolError('no_page', 'There is no previous page in this browser history.');
        }
        if (response === null && this.#page.url() === before) {
          throw new WebToolError('no_page', 'There is no previous page in this browser history.');
        }
        return response;
      });
    });
  }

  /** Another part of the current page: `part` by number, or the next (or previous) one. */
  scroll(options: { part?: number; direction?: 'down' | 'up' }, signal?: AbortSignal): Promise<PageSnapshot> {
    return this.#run(signal, async () => {
      const current = this.#requireCurrent();
      const index =
        options.part !== undefined ? options.part - 1 : current.part + (options.direction === 'up' ? -1 : 1);
      if (index < 0 || index >= current.parts.length) {
        const where = index < 0 ? 'at the first part' : 'at the last part';
        throw new WebToolError(
          'no_page',
          `The page has ${current.parts.length} part(s) and you are ${where}; there is no part ${index + 1}.`,
        );
      }
      current.part = index;
      // Keep the viewport roughly in step, so a screenshot shows the part being read.
      await this.#page
        .evaluate(([at, count]) => window.scrollTo(0, (document.documentElement.scrollHeight * at) / count), [
          index,
          current.parts.length,
        ] as const)
        .catch(() => {});
      return snapshotOf(current);
    });
  }

  find(text: string, signal?: AbortSignal): Promise<FindResult & { url: string }> {
    return this.#run(signal, async () => {
      const current = this.#requireCurrent();
      return { ...findInParts(current.parts, text), url: current.extracted.url };
    });
  }

  screenshot(options: { fullPage?: boolean } = {}, signal?: AbortSignal): Promise<Screenshot> {
    return this.#run(signal, async () => {
      const current = this.#requireCurrent();
      // The page was read without its images, styles and fonts (deferred, or not waited for); a picture needs them (bounded).
      if (this.#guard.loadVisuals()) await loadVisuals(this.#page, this.#guard, this.#limits);
      else
        await this.#page.waitForLoadState('load', { timeout: this.#limits.settleTimeoutMs }).catch(() => {});
      const png = await this.#page.screenshot({
        type: 'png',
        fullPage: options.fullPage ?? false,
        animations: 'disabled',
        timeout: this.#limits.loadTimeoutMs,
      });
      return { png: new Uint8Array(png), url: this.#page.url(), title: current.extracted.title };
    });
  }

  /** No call runs on this session any more; its context is closed by `close()`. */
  retire(): void {
    this.#closed = true;
    this.#guard.stop();
  }

  async close(): Promise<void> {
    this.retire();
    await withDeadline(this.#context.close(), 10_000).catch(() => {});
  }

  async #run<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    // Said as it is, not taken for a browser that stopped during the call (what #recover makes of a closed session).
    if (this.#closed) {
      release();
      throw new WebToolError(
        'browser_failed',
        'This browser session was closed; call again to start a new one.',
      );
    }
    this.#busy = true;
    this.lastUsed = Date.now();
    try {
      return await withDeadline(work(), this.#limits.actionTimeoutMs, signal);
    } catch (error) {
      throw await this.#recover(error, signal);
    } finally {
      this.#busy = false;
      this.lastUsed = Date.now();
      release();
    }
  }

  async #navigate(label: string, go: (timeout: number) => Promise<Response | null>): Promise<PageSnapshot> {
    const page = this.#page;
    const started = Date.now();
    const deadline = started + this.#limits.loadTimeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    this.#guard.begin();
    const { response, settleMs, settledBy } = await followNavigation(
      page,
      this.#guard,
      this.#limits,
      label,
      go,
      remaining,
    );
    const settled = Date.now();
    const read = await readPage(page, this.#limits, remaining());
    if (page !== this.#page)
      throw new WebToolError('browser_failed', 'The page was replaced during the call.');
    const notes: string[] = [];
    if (read.truncated) notes.push('The page is very large: only its beginning was read.');
    if (this.#guard.records.some((record) => record.mainFrame && record.reason === CUT_AT_LIMIT)) {
      notes.push('The page was larger than the size limit: only its beginning was loaded.');
    }
    const refused = this.#guard.records.filter(
      (record) =>
        record.outcome === 'blocked' || record.outcome === 'failed' || record.outcome === 'download-blocked',
    );
    const { extracted } = read;
    this.#current = {
      extracted,
      parts: paginate(extracted.markdown, this.#limits.pageSize),
      part: 0,
      status: response?.status(),
      refused,
      notes,
      timings: {
        navigationMs: settled - started - settleMs,
        settleMs,
        settledBy,
        extractionMs: read.extractionMs,
        conversionMs: read.conversionMs,
        extractedIn: read.extractedIn,
        totalMs: Date.now() - started,
      },
    };
    return snapshotOf(this.#current);
  }

  #requireCurrent(): CurrentPage {
    if (!this.#current)
      throw new WebToolError('no_page', 'No page is open in the browser yet: open a URL first.');
    return this.#current;
  }

  async #newPage(): Promise<Page> {
    const page = await this.#context.newPage();
    this.#crashed = false;
    page.on('popup', (popup) => {
      popup.close().catch(() => {});
    });
    page.on('crash', () => {
      this.#crashed = true;
    });
    return page;
  }

  /** After a failed call: replace a stuck or crashed page, and say what happened. */
  async #recover(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    // A navigation that timed out may have left the renderer busy (a script that never yields).
    const overran =
      error instanceof DeadlineExceeded || (error instanceof WebToolError && error.code === 'timeout');
    const cancelled = signal?.aborted === true;
    const crashed = this.#crashed;
    if (this.#closed || (isClosedError(error) && !crashed)) {
      this.#closed = true;
      return new WebToolError(
        'browser_failed',
        'The browser stopped during the call; it is restarted on the next call (open the page again).',
        { cause: error },
      );
    }
    if (overran || cancelled || crashed) {
      this.#guard.stop();
      this.#current = undefined;
      const old = this.#page;
      await withDeadline(old.close({ runBeforeUnload: false }), 5000).catch(() => {});
      try {
        this.#page = await withDeadline(this.#newPage(), 10_000);
      } catch {
        this.#closed = true;
      }
    }
    if (cancelled) return signal?.reason;
    if (crashed) {
      return new WebToolError(
        'browser_failed',
        'The page crashed; a fresh page is ready (open the URL again).',
        {
          cause: error,
        },
      );
    }
    if (error instanceof DeadlineExceeded) {
      return new WebToolError(
        'timeout',
        `The browser did not finish within ${Math.round(this.#limits.actionTimeoutMs / 1000)} s; the page was closed.`,
      );
    }
    return error;
  }
}
