import { createRequire } from 'node:module';
import type { Readability as ReadabilityClass } from '@mozilla/readability';
import type * as JsdomModule from 'jsdom';
import { createMarkdownConverter } from './markdown-converter.js';
import { LINK_NUMBER_ATTRIBUTE, numberLinks, type PageLink } from './number-links.js';
import { tidyMarkdown } from './reading-rules.js';

export interface ExtractedPage {
  url: string;
  title: string;
  markdown: string;
  links: PageLink[];
  /** Readability found no article, so the whole body was converted. */
  usedFallback: boolean;
}

let converter: ReturnType<typeof createMarkdownConverter> | undefined;
const markdownConverter = () => {
  converter ??= createMarkdownConverter();
  return converter;
};
const require = createRequire(import.meta.url);
let libraries: { jsdom: typeof JsdomModule; Readability: typeof ReadabilityClass } | undefined;

/** jsdom and Readability on first use: jsdom alone takes over half a second to load. */
function load(): NonNullable<typeof libraries> {
  libraries ??= {
    jsdom: require('jsdom') as typeof JsdomModule,
    Readability: (require('@mozilla/readability') as { Readability: typeof ReadabilityClass }).Readability,
  };
  return libraries;
}
/** Readability's article is used only when it holds at least this much text; else the body is. */
export const MIN_ARTICLE_CHARS = 80;
export const DROPPED_FROM_BODY = 'script, style, noscript, template, iframe, object, embed, svg, canvas';

/**
 * HTML to readable markdown: Mozilla Readability on a jsdom document (its
 * scripts are never run and nothing it references is loaded), then Turndown.
 * When Readability finds no article, the whole body is converted instead.
 * The browser runs the same steps in the page it already parsed
 * (in-page-extract.ts); this is for fetch_url and for pages where that fails.
 */
export function htmlToMarkdown(html: string, url: string): ExtractedPage {
  const { jsdom, Readability } = load();
  const dom = new jsdom.JSDOM(html, { url, virtualConsole: new jsdom.VirtualConsole() });
  try {
    const document = dom.window.document;
    const pageTitle = document.title.trim();
    const fallbackBody = document.body?.cloneNode(true) as Element | undefined;
    let article: ReturnType<ReadabilityClass<Element>['parse']> = null;
    try {
      article = new Readability<Element>(document, { serializer: (node) => node as Element }).parse();
    } catch {
      article = null;
    }
    const articleText = article?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    const usedFallback = !article?.content || articleText.length < MIN_ARTICLE_CHARS;
    const root = usedFallback ? fallbackBody : (article?.content ?? undefined);
    if (!root) return { url, title: pageTitle, markdown: '', links: [], usedFallback };
    if (usedFallback) {
      for (const node of root.querySelectorAll(DROPPED_FROM_BODY)) node.remove();
    }
    const title = (article?.title ?? '').trim() || pageTitle;
    return convertRoot(root, { url, baseUrl: document.baseURI, title, usedFallback });
  } finally {
    dom.window.close();
  }
}

function convertRoot(
  root: Element,
  page: { url: string; baseUrl: string; title: string; usedFallback: boolean },
): ExtractedPage {
  const links = numberLinks(root, page.url, page.baseUrl, LINK_NUMBER_ATTRIBUTE);
  const markdown = tidyMarkdown(markdownConverter().turndown(root as HTMLElement));
  return { url: page.url, title: page.title, markdown, links, usedFallback: page.usedFallback };
}
