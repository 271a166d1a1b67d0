export interface BrowserLimits {
  /** Time for a navigation, redirects included. */
  loadTimeoutMs: number;
  /**
   * After the document is parsed, the most to wait for it to go quiet (1.5 s);
   * with `settle: 'load'`, for the load event (5 s).
   */
  settleTimeoutMs: number;
  /** How long the network (and the DOM) must be idle before the page is read. */
  quietMs: number;
  /**
   * 'quiet': DOMContentLoaded, then network and DOM quiet for `quietMs`,
   * bounded. 'load': the load event, then the network quiet (the behaviour
   * before; kept for comparison in the benchmark).
   */
  settle: 'quiet' | 'load';
  /**
   * 'page': Readability runs in the page Chromium parsed, jsdom only as a
   * fallback. 'jsdom': the whole page is serialised and read in jsdom.
   */
  extraction: 'page' | 'jsdom';
  /**
   * 'text': while a page is opened, only what can change its text is loaded
   * (documents, scripts, XHR and fetch); images, styles and fonts are
   * deferred, and loaded in place when a screenshot is taken. 'all': every
   * allowed request is loaded (the behaviour before).
   */
  subresources: 'text' | 'all';
  /** Time for any single request the page makes. */
  requestTimeoutMs: number;
  /** Hard limit for one call (navigation, extraction, screenshot); past it the page is discarded. */
  actionTimeoutMs: number;
  /** The main document is cut at this many bytes. */
  maxDocumentBytes: number;
  /** Any other resource over this many bytes is refused. */
  maxResourceBytes: number;
  /** Everything one navigation may load. */
  maxTotalBytes: number;
  /** Rendered HTML characters given to jsdom; in the page, markdown characters kept. */
  maxHtmlChars: number;
  maxRedirects: number;
  /** Characters of markdown per part. */
  pageSize: number;
  viewport: { width: number; height: number };
  userAgent?: string;
}

export function browserLimits(overrides: Partial<BrowserLimits> = {}): BrowserLimits {
  const loadTimeoutMs = overrides.loadTimeoutMs ?? 20_000;
  return {
    loadTimeoutMs,
    settleTimeoutMs: overrides.settle === 'load' ? 5000 : 1500,
    quietMs: 100,
    settle: 'quiet',
    extraction: 'page',
    subresources: 'text',
    requestTimeoutMs: Math.min(loadTimeoutMs, 15_000),
    actionTimeoutMs: loadTimeoutMs + 15_000,
    maxDocumentBytes: 5_000_000,
    maxResourceBytes: 10_000_000,
    maxTotalBytes: 40_000_000,
    maxHtmlChars: 3_000_000,
    maxRedirects: 5,
    pageSize: 8000,
    viewport: { width: 1280, height: 800 },
    ...overrides,
  };
}
