export interface BrowserLimits {
  /** Time for a navigation, redirects included. */
  loadTimeoutMs: number;
  /** After the document is parsed, how long to wait for the load event (sub-resources). */
  settleTimeoutMs: number;
  /** After the load event, how long the network must be idle before the page is read. */
  quietMs: number;
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
  /** Rendered HTML characters given to the extractor. */
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
    settleTimeoutMs: 5000,
    quietMs: 200,
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
