import type { Page } from 'playwright-core';
import { type ExtractedPage, htmlToMarkdown } from '../extract/html-to-markdown.js';
import type { BrowserLimits } from './browser-limits.js';
import { extractInPage } from './in-page-extract.js';
import { isClosedError } from './navigation-failure.js';

export interface ReadPage {
  extracted: ExtractedPage;
  /** The page was cut before extraction. */
  truncated: boolean;
  extractionMs: number;
  conversionMs: number;
  extractedIn: 'page' | 'jsdom';
}

/**
 * The settled page as markdown: Readability and Turndown in the page when
 * they can (the DOM is already there, and only the markdown comes back),
 * else the whole page serialised and read in jsdom.
 */
export async function readPage(page: Page, limits: BrowserLimits, timeoutMs: number): Promise<ReadPage> {
  const started = Date.now();
  if (limits.extraction === 'page') {
    const read = await extractInPage(page, { maxChars: limits.maxHtmlChars, timeoutMs });
    if (read) {
      const wall = Date.now() - started;
      return {
        extracted: read.extracted,
        truncated: read.truncated,
        // The round trip counts as extraction; conversion is what Turndown took in the page.
        extractionMs: Math.max(0, wall - read.conversionMs),
        conversionMs: Math.min(wall, read.conversionMs),
        extractedIn: 'page',
      };
    }
  }
  const html = await content(page, limits);
  const serialised = Date.now();
  const extracted = htmlToMarkdown(html.slice(0, limits.maxHtmlChars), page.url());
  return {
    extracted,
    truncated: html.length > limits.maxHtmlChars,
    extractionMs: serialised - started,
    conversionMs: Date.now() - serialised,
    extractedIn: 'jsdom',
  };
}

/** The rendered HTML; if a client-side navigation is under way, that of the page it lands on. */
async function content(page: Page, limits: BrowserLimits): Promise<string> {
  try {
    return await page.content();
  } catch (error) {
    if (isClosedError(error)) throw error;
    await page.waitForLoadState('domcontentloaded', { timeout: limits.settleTimeoutMs }).catch(() => {});
    return page.content();
  }
}
