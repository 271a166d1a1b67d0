import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { type ArticleHtml, DROPPED_FROM_BODY, MIN_ARTICLE_CHARS } from '../extract/html-to-markdown.js';
import { withDeadline } from './deadline.js';

/** What the page sends back: the article, or why it could not extract one. */
type InPageResult = ({ ok: true } & ArticleHtml) | { ok: false; error: string };

let expression: string | undefined;

/**
 * The expression run in the page: Readability's own source, read from
 * node_modules (never fetched), then a call on a clone of the document, so
 * the page the model reads on (screenshots, scrolling) is left as it is.
 * Evaluated through the DevTools protocol, it is not subject to the page's
 * script-src; what a page can still break (Trusted Types, patched DOM
 * methods) makes it return ok: false, and the caller falls back to jsdom.
 */
function extractionExpression(): string {
  if (expression) return expression;
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('@mozilla/readability/Readability.js'), 'utf8');
  const settings = JSON.stringify({ minChars: MIN_ARTICLE_CHARS, dropped: DROPPED_FROM_BODY });
  expression = `(() => {
  const module = undefined;
  ${source}
  ;return (${IN_PAGE})(Readability, ${settings});
})()`;
  return expression;
}

/**
 * Runs in the page, written as plain JavaScript: a compiled TypeScript
 * function could carry helpers of the bundler that do not exist there.
 */
const IN_PAGE = `function (ReadabilityClass, settings) {
  try {
    const pageTitle = (document.title || '').trim();
    const baseUrl = document.baseURI;
    const article = new ReadabilityClass(document.cloneNode(true)).parse();
    const text = ((article && article.textContent) || '').replace(/\\s+/g, ' ').trim();
    const title = ((article && article.title) || '').trim() || pageTitle;
    if (article && article.content && text.length >= settings.minChars) {
      return { ok: true, title, html: article.content, baseUrl, usedFallback: false };
    }
    const body = document.body ? document.body.cloneNode(true) : null;
    if (!body) return { ok: true, title: pageTitle, html: '', baseUrl, usedFallback: true };
    for (const node of Array.from(body.querySelectorAll(settings.dropped))) node.remove();
    return { ok: true, title, html: body.innerHTML, baseUrl, usedFallback: true };
  } catch (error) {
    return { ok: false, error: String((error && error.message) || error) };
  }
}`;

/**
 * The page's readable part, extracted by Chromium in the DOM it already
 * holds (one small HTML string crosses over, not the whole page), or
 * undefined when the page would not let that run, so the caller can fall
 * back to serialising the page for jsdom.
 */
export async function extractInPage(page: Page, timeoutMs: number): Promise<ArticleHtml | undefined> {
  try {
    const result = await withDeadline(
      page.evaluate(extractionExpression()) as Promise<InPageResult>,
      timeoutMs,
    );
    if (!result || typeof result !== 'object' || !result.ok || typeof result.html !== 'string')
      return undefined;
    return {
      title: String(result.title),
      html: result.html,
      baseUrl: String(result.baseUrl),
      usedFallback: result.usedFallback === true,
    };
  } catch {
    return undefined;
  }
}
