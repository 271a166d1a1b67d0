import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { DROPPED_FROM_BODY, type ExtractedPage, MIN_ARTICLE_CHARS } from '../extract/html-to-markdown.js';
import { LINK_NUMBER_ATTRIBUTE, numberLinks, type PageLink } from '../extract/number-links.js';
import { addReadingRules, TURNDOWN_OPTIONS, tidyMarkdown } from '../extract/reading-rules.js';
import { withDeadline } from './deadline.js';

/** The page's text as markdown, read where Chromium holds it, and what each step cost there. */
export interface InPageRead {
  extracted: ExtractedPage;
  /** The markdown was cut at the character limit. */
  truncated: boolean;
  /** Readability in the page, the clone of the document included. */
  readabilityMs: number;
  /** Link numbering and Turndown in the page. */
  conversionMs: number;
}

let libraries: string | undefined;

/**
 * Readability's and Turndown's own sources (read from node_modules, never
 * fetched), each in a scope of its own with a local `module`, so neither
 * touches the page's globals nor calls a page's AMD `define`; then the
 * link numbering and reading rules Node uses, from their source text.
 */
export function loadExtractionLibraries(): string {
  if (libraries) return libraries;
  const require = createRequire(import.meta.url);
  const load = (path: string) => `(function () {
  const module = { exports: {} };
  const exports = module.exports;
  ${readFileSync(require.resolve(path), 'utf8')}
  ;return module.exports;
}).call({})`;
  libraries = `const Readability = ${load('@mozilla/readability/Readability.js')};
const TurndownService = ${load('turndown/lib/turndown.browser.umd.js')};
const numberLinks = (${numberLinks.toString()});
const addReadingRules = (${addReadingRules.toString()});
const tidyMarkdown = (${tidyMarkdown.toString()});`;
  return libraries;
}

/**
 * Runs in the page, written as plain JavaScript: a compiled TypeScript
 * function could carry helpers of the bundler that do not exist there.
 * Readability works on a clone of the document, so the page the model
 * reads on (screenshots, scrolling) is left as it is.
 */
const IN_PAGE = `(settings) => {
  try {
    const started = performance.now();
    const pageTitle = (document.title || '').trim();
    const baseUrl = document.baseURI;
    const article = new Readability(document.cloneNode(true), { serializer: (node) => node }).parse();
    const text = ((article && article.textContent) || '').replace(/\\s+/g, ' ').trim();
    let title = ((article && article.title) || '').trim() || pageTitle;
    let usedFallback = false;
    let root = null;
    if (article && article.content && text.length >= settings.minChars) {
      root = article.content;
    } else {
      usedFallback = true;
      root = document.body ? document.body.cloneNode(true) : null;
      if (root) for (const node of Array.from(root.querySelectorAll(settings.dropped))) node.remove();
      else title = pageTitle;
    }
    const extracted = performance.now();
    let markdown = '';
    let links = [];
    if (root) {
      links = numberLinks(root, settings.url, baseUrl, settings.attribute);
      const service = new TurndownService(settings.options);
      addReadingRules(service, settings.attribute);
      markdown = tidyMarkdown(service.turndown(root));
    }
    const truncated = markdown.length > settings.maxChars;
    return {
      ok: true, title, markdown: truncated ? markdown.slice(0, settings.maxChars) : markdown, links,
      usedFallback, truncated, readabilityMs: extracted - started, conversionMs: performance.now() - extracted,
    };
  } catch (error) {
    return { ok: false, error: String((error && error.message) || error) };
  }
}`;

/**
 * The page's readable part as markdown, extracted and converted by Chromium
 * in the DOM it already holds (only the markdown and the link table cross
 * over), or undefined when the page would not let that run (Trusted Types,
 * DOM methods a script broke), so the caller can fall back to jsdom.
 * Evaluated through the DevTools protocol, it is not subject to the page's
 * script-src. What comes back is checked, since a page script can tamper
 * with the builtins it runs on.
 */
export async function extractInPage(
  page: Page,
  options: { maxChars: number; timeoutMs: number },
): Promise<InPageRead | undefined> {
  const url = page.url();
  const settings = JSON.stringify({
    url,
    minChars: MIN_ARTICLE_CHARS,
    dropped: DROPPED_FROM_BODY,
    attribute: LINK_NUMBER_ATTRIBUTE,
    options: TURNDOWN_OPTIONS,
    maxChars: options.maxChars,
  });
  try {
    const result: unknown = await withDeadline(
      page.evaluate(`(() => {\n${loadExtractionLibraries()}\nreturn (${IN_PAGE})(${settings});\n})()`),
      options.timeoutMs,
    );
    return checked(result, url);
  } catch {
    return undefined;
  }
}

function checked(result: unknown, url: string): InPageRead | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const read = result as Record<string, unknown>;
  if (read.ok !== true || typeof read.markdown !== 'string' || !Array.isArray(read.links)) return undefined;
  const links: PageLink[] = [];
  for (const link of read.links as unknown[]) {
    const { number, url: target, text } = (link ?? {}) as Record<string, unknown>;
    if (typeof number !== 'number' || typeof target !== 'string' || typeof text !== 'string')
      return undefined;
    links.push({ number, url: target, text });
  }
  return {
    extracted: {
      url,
      title: String(read.title ?? ''),
      markdown: read.markdown,
      links,
      usedFallback: read.usedFallback === true,
    },
    truncated: read.truncated === true,
    readabilityMs: Number(read.readabilityMs) || 0,
    conversionMs: Number(read.conversionMs) || 0,
  };
}
