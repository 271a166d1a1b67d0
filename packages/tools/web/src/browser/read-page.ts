import type { Page } from 'playwright-core';
import { articleToMarkdown, type ExtractedPage, htmlToMarkdown } from '../extract/html-to-markdown.js';
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
 * The settled page as markdown: Readability in the page when it can (the
 * DOM is already there, and only the article's HTML comes back), else the
 * whole page serialised and read in jsdom.
 */
export async function readPage(page: Page, limits: BrowserLimits, timeoutMs: number): Promise<ReadPage> {
  const started = Date.now();
  if (limits.extraction === 'page') {
    const article = await extractInPage(page, timeoutMs);
    if (article) {
      const extracted = Date.now();
      const truncated = article.html.length > limits.maxHtmlChars;
      const markdown = articleToMarkdown(
        truncated ? { ...article, html: article.html.slice(0, limits.maxHtmlChars) } : article,
        page.url(),
      );
      return {
        extracted: markdown,
        truncated,
        extractionMs: extracted - started,
        conversionMs: Date.now() - extracted,
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
