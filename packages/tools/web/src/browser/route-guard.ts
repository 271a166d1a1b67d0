import type { NetworkPolicy } from '@agentd/net-policy';
import type { Frame, Request, Route } from 'playwright-core';
import type { Dispatcher } from 'undici';
import { findWebToolError } from '../errors.js';
import { fetchFollowingRedirects } from '../fetch/follow-redirects.js';
import { exchange, type HttpResponse, headerValue } from '../fetch/http-exchange.js';

/** What happened to one request a page made. */
export interface RequestRecord {
  url: string;
  resourceType: string;
  /** 'deferred': allowed, but not loaded while the page was read (an image, style or font); a screenshot loads it. */
  outcome: 'fulfilled' | 'blocked' | 'failed' | 'redirected' | 'download-blocked' | 'deferred';
  /** The request loads the page itself (not a sub-resource or a frame inside it). */
  mainFrame: boolean;
  reason?: string;
}

export interface RouteGuardOptions {
  policy: NetworkPolicy;
  dispatcher: Dispatcher;
  mainFrame: () => Frame;
  maxRedirects: number;
  /** Cap on the main document; a longer one is cut. */
  maxDocumentBytes: number;
  /** Cap on any other resource; a longer one is refused. */
  maxResourceBytes: number;
  /** Cap on everything one navigation loads. */
  maxTotalBytes: number;
  requestTimeoutMs: number;
  /**
   * Images, styles and fonts the policy allows are not loaded while a page is
   * read (they cannot change its text), until `loadVisuals()`.
   */
  deferVisuals: boolean;
}

/** The reason recorded for a main document cut at maxDocumentBytes. */
export const CUT_AT_LIMIT = 'cut at the size limit';

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Requests remembered per navigation; a page that makes more is not described in full. */
const MAX_RECORDS = 500;
const BLOCKED_TYPES = new Set(['media', 'eventsource', 'websocket', 'manifest', 'texttrack', 'ping']);
/**
 * Requests whose answer can still change the page's text: documents (frames),
 * scripts, XHR and fetch, and what Chromium cannot classify. Images, styles
 * and fonts change how the page looks, not what it says.
 */
const TEXT_TYPES = new Set(['document', 'script', 'xhr', 'fetch', 'other']);
/** What a page needs to look right, not to be read: deferred until a screenshot asks for it. */
const VISUAL_TYPES = new Set(['image', 'stylesheet', 'font']);

/**
 * 'visual' for images, styles and fonts, and for the page's icon: Chromium
 * fetches a favicon late (after the load event) as type 'other', asking for
 * an image; counted as text, it held each page that names one (every Python
 * doc page) until it was answered.
 */
function kindOf(request: Request): 'text' | 'visual' | 'other' {
  const type = request.resourceType();
  if (VISUAL_TYPES.has(type)) return 'visual';
  if (type === 'other' && /^image\//i.test(request.headers().accept ?? '')) return 'visual';
  return TEXT_TYPES.has(type) ? 'text' : 'other';
}
const DEFERRED = 'not needed to read the page; loaded for a screenshot';
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-connection',
]);
const DROPPED_RESPONSE_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

/**
 * The route handler for every request a browser context makes. Chromium
 * never goes to the network itself: each request is checked against the
 * policy and sent by our pinned agent, and the answer is handed back with
 * route.fulfill, so the address checked is the address connected to.
 * Playwright does not route redirect hops, so redirects are followed here:
 * for sub-resources hop by hop under the policy; for the main frame the
 * target is handed to the session (which navigates to it) and the redirect
 * itself is answered with 204, which cancels that navigation.
 */
export class RouteGuard {
  readonly #options: RouteGuardOptions;
  #controller = new AbortController();
  #records: RequestRecord[] = [];
  #bytes = 0;
  #redirect: URL | undefined;
  /** Visual resources are loaded (a screenshot asked for them since the navigation began). */
  #visuals = false;
  #onRedirect: (() => void) | undefined;
  /** Requests in flight, and the last time one started or ended: all of them, and those in TEXT_TYPES. */
  #inflight = 0;
  #lastActivity = 0;
  #textInflight = 0;
  #lastTextActivity = 0;

  constructor(options: RouteGuardOptions) {
    this.#options = options;
    this.#visuals = !options.deferVisuals;
  }

  /** Starts a navigation: forgets the last one's records and cancels its pending requests. */
  begin(): void {
    this.#controller.abort();
    this.#controller = new AbortController();
    this.#records = [];
    this.#bytes = 0;
    this.#redirect = undefined;
    this.#visuals = !this.#options.deferVisuals;
  }

  /** From now until the next navigation, images, styles and fonts are loaded; false if they already were. */
  loadVisuals(): boolean {
    if (this.#visuals) return false;
    this.#visuals = true;
    return true;
  }

  stop(): void {
    this.#controller.abort();
  }

  get records(): readonly RequestRecord[] {
    return this.#records;
  }

  /**
   * Resolves once no request has been in flight for `quietMs`, or after
   * `timeoutMs` (false); with `textOnly`, only requests that can change the
   * page's text count (TEXT_TYPES), so an image that never answers does not
   * hold the page up. Every request passes through here, so this knows
   * better than Playwright's networkidle, and needs a shorter quiet window.
   */
  async waitForQuiet(quietMs: number, timeoutMs: number, textOnly = false): Promise<boolean> {
    const start = Date.now();
    const deadline = start + timeoutMs;
    while (Date.now() < deadline) {
      const inflight = textOnly ? this.#textInflight : this.#inflight;
      const last = textOnly ? this.#lastTextActivity : this.#lastActivity;
      // Quiet since the later of the last request and the call: a request the page has just made
      // reaches the route handler a moment after Chromium sends it.
      const since = Math.max(last, start);
      if (inflight === 0 && Date.now() - since >= quietMs) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  /**
   * Resolves when the main frame meets a server redirect. A page that
   * navigates by script while it is still loading leaves Playwright waiting
   * for a document that never comes (the redirect is answered with 204), so
   * the session races this against the navigation.
   */
  redirected(): Promise<void> {
    if (this.#redirect) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onRedirect = resolve;
    });
  }

  /** The main-frame redirect target seen since the last call, if any. */
  takeRedirect(): URL | undefined {
    const target = this.#redirect;
    this.#redirect = undefined;
    return target;
  }

  readonly handle = async (route: Route): Promise<void> => {
    const kind = kindOf(route.request());
    const text = kind === 'text';
    this.#count(1, text);
    try {
      await this.#handle(route, kind === 'visual');
    } finally {
      this.#count(-1, text);
    }
  };

  #count(change: 1 | -1, text: boolean): void {
    const now = Date.now();
    this.#inflight += change;
    this.#lastActivity = now;
    if (!text) return;
    this.#textInflight += change;
    this.#lastTextActivity = now;
  }

  async #handle(route: Route, visual: boolean): Promise<void> {
    const request = route.request();
    const url = request.url();
    const resourceType = request.resourceType();
    const mainFrame = request.isNavigationRequest() && isMainFrame(route, this.#options.mainFrame);
    const record = (outcome: RequestRecord['outcome'], reason?: string) =>
      this.#records.length < MAX_RECORDS &&
      this.#records.push({
        url,
        resourceType,
        outcome,
        mainFrame,
        ...(reason === undefined ? {} : { reason }),
      });
    if (BLOCKED_TYPES.has(resourceType)) {
      record('blocked', `${resourceType} requests are not loaded`);
      await route.abort('blockedbyclient').catch(ignore);
      return;
    }
    const decision = this.#options.policy.checkUrl(url);
    if (!decision.allowed) {
      record('blocked', decision.reason);
      await route.abort('blockedbyclient').catch(ignore);
      return;
    }
    if (!this.#visuals && visual) {
      // Checked against the policy first, so a refused image is still reported as such.
      record('deferred', DEFERRED);
      await route.abort('blockedbyclient').catch(ignore);
      return;
    }
    const signal = AbortSignal.any([
      this.#controller.signal,
      AbortSignal.timeout(this.#options.requestTimeoutMs),
    ]);
    try {
      const headers = forwardedHeaders(await request.allHeaders());
      const body = request.postDataBuffer() ?? undefined;
      const common = {
        dispatcher: this.#options.dispatcher,
        signal,
        method: request.method(),
        headers,
        ...(body ? { body } : {}),
      };
      const response = mainFrame
        ? await exchange(new URL(url), { ...common, maxBytes: this.#options.maxDocumentBytes })
        : await fetchFollowingRedirects(new URL(url), {
            ...common,
            policy: this.#options.policy,
            maxRedirects: this.#options.maxRedirects,
            maxBytes: this.#options.maxResourceBytes,
          });
      const location = headerValue(response.headers.location);
      if (mainFrame && REDIRECT_STATUS.has(response.status) && location !== undefined) {
        const target = new URL(location, url);
        const next = this.#options.policy.checkUrl(target);
        if (!next.allowed) {
          record('blocked', `redirect to ${target.href}: ${next.reason}`);
          await route.abort('blockedbyclient').catch(ignore);
          return;
        }
        record('redirected', `to ${target.href}`);
        this.#redirect = target;
        this.#onRedirect?.();
        this.#onRedirect = undefined;
        await route.fulfill({ status: 204, body: '' }).catch(ignore);
        return;
      }
      const refusal = this.#refusal(response, request.isNavigationRequest(), mainFrame);
      if (refusal) {
        record(refusal.outcome, refusal.reason);
        await route.abort('blockedbyclient').catch(ignore);
        return;
      }
      this.#bytes += response.body.length;
      record('fulfilled', response.truncated ? CUT_AT_LIMIT : undefined);
      await route
        .fulfill({ status: response.status, headers: fulfilledHeaders(response), body: response.body })
        .catch(ignore);
    } catch (error) {
      const known = findWebToolError(error);
      if (known?.code === 'blocked_by_policy') record('blocked', withoutPrefix(known.message));
      else if (signal.aborted) record('failed', 'timed out or cancelled');
      else record('failed', known?.message ?? (error as Error).message);
      await route.abort(signal.aborted ? 'timedout' : known ? 'blockedbyclient' : 'failed').catch(ignore);
    }
  }

  #refusal(
    response: HttpResponse,
    navigation: boolean,
    mainFrame: boolean,
  ): { outcome: RequestRecord['outcome']; reason: string } | undefined {
    if (navigation && isDownload(response)) {
      const type = headerValue(response.headers['content-type']) ?? 'unknown type';
      return { outcome: 'download-blocked', reason: `a file download (${type}); downloads are blocked` };
    }
    if (!mainFrame && response.truncated) {
      return { outcome: 'failed', reason: `larger than ${this.#options.maxResourceBytes} bytes` };
    }
    if (this.#bytes + response.body.length > this.#options.maxTotalBytes) {
      return { outcome: 'failed', reason: `the page loaded more than ${this.#options.maxTotalBytes} bytes` };
    }
    return undefined;
  }
}

function isMainFrame(route: Route, mainFrame: () => Frame): boolean {
  try {
    return route.request().frame() === mainFrame();
  } catch {
    // Service-worker requests have no frame.
    return false;
  }
}

function isDownload(response: HttpResponse): boolean {
  const disposition = headerValue(response.headers['content-disposition']) ?? '';
  if (/^\s*attachment/i.test(disposition)) return true;
  const mime = (headerValue(response.headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === '' || mime.startsWith('text/') || mime.startsWith('image/')) return false;
  return !(
    mime === 'application/xhtml+xml' ||
    mime === 'application/json' ||
    mime === 'application/xml' ||
    mime.endsWith('+xml') ||
    mime.endsWith('+json')
  );
}

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || DROPPED_REQUEST_HEADERS.has(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

function fulfilledHeaders(response: HttpResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return headers;
}

/** 'Blocked by the network policy: X is a loopback address….' → 'X is a loopback address…' */
function withoutPrefix(message: string): string {
  return message.replace(/^Blocked by the network policy: /, '').replace(/\.$/, '');
}

function ignore(): void {
  // The page or context closed while the request was in flight.
}
