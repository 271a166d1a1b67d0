/** Where the time of one open (or follow, or back) went, in milliseconds. */
export interface OpenTimings {
  /** From the call to the main document's DOMContentLoaded, redirects included. */
  navigationMs: number;
  /** Waiting for the page to go quiet after that. */
  settleMs: number;
  /** 'quiet': network and DOM went quiet; 'timeout': the bound ran out first (a resource never answered, say). */
  settledBy: 'quiet' | 'timeout';
  /** Getting the readable part out of Chromium: Readability in the page and the round trip, or serialising the page for jsdom. */
  extractionMs: number;
  /** HTML to markdown: Turndown in the page, or (for jsdom) Readability and Turndown in Node. */
  conversionMs: number;
  /** Where Readability and Turndown ran: in the page Chromium parsed, or in jsdom (the fallback). */
  extractedIn: 'page' | 'jsdom';
  totalMs: number;
}
