/** Where the time of one open (or follow, or back) went, in milliseconds. */
export interface OpenTimings {
  /** From the call to the main document's DOMContentLoaded, redirects included. */
  navigationMs: number;
  /** Waiting for the page to go quiet after that. */
  settleMs: number;
  /** 'quiet': network and DOM went quiet; 'timeout': the bound ran out first (a resource never answered, say). */
  settledBy: 'quiet' | 'timeout';
  /** Getting the readable part out of Chromium: the in-page extraction, or serialising the page for jsdom. */
  extractionMs: number;
  /** HTML to markdown in Node (for jsdom, Readability on the whole page too). */
  conversionMs: number;
  /** Where Readability ran: in the page Chromium parsed, or in jsdom (the fallback). */
  extractedIn: 'page' | 'jsdom';
  totalMs: number;
}
