import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { createMarkdownConverter } from './markdown-converter.js';
import { numberLinks, type PageLink } from './number-links.js';

export interface ExtractedPage {
  url: string;
  title: string;
  markdown: string;
  links: PageLink[];
  /** Readability found no article, so the whole body was converted. */
  usedFallback: boolean;
}

/** The readable part of a page, as HTML: what Readability kept, or the body when it kept too little. */
export interface ArticleHtml {
  title: string;
  /** The article's (or the body's) HTML, links as the page wrote them. */
  html: string;
  /** What relative links resolve against (a <base> element, else the page URL). */
  baseUrl: string;
  usedFallback: boolean;
}

const converter = createMarkdownConverter();
/** Readability's article is used only when it holds at least this much text; else the body is. */
export const MIN_ARTICLE_CHARS = 80;
export const DROPPED_FROM_BODY = 'script, style, noscript, template, iframe, object, embed, svg, canvas';

/**
 * HTML to readable markdown: Mozilla Readability on a jsdom document (its
 * scripts are never run and nothing it references is loaded), then Turndown.
 * When Readability finds no article, the whole body is converted instead.
 * The browser extracts in the page it already parsed (in-page-extract.ts);
 * this is for fetch_url and for pages where that fails.
 */
export function htmlToMarkdown(html: string, url: string): ExtractedPage {
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  try {
    const document = dom.window.document;
    const pageTitle = document.title.trim();
    const fallbackBody = document.body?.cloneNode(true) as Element | undefined;
    let article: ReturnType<Readability<Element>['parse']> = null;
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

/**
 * The readable part a page already extracted (in the browser) to markdown:
 * only this small fragment is parsed here, with the same link numbering and
 * Turndown rules as htmlToMarkdown.
 */
export function articleToMarkdown(article: ArticleHtml, url: string): ExtractedPage {
  const fragment = JSDOM.fragment(`<div>${article.html}</div>`);
  const root = fragment.firstElementChild;
  if (!root)
    return { url, title: article.title, markdown: '', links: [], usedFallback: article.usedFallback };
  return convertRoot(root, {
    url,
    baseUrl: article.baseUrl,
    title: article.title,
    usedFallback: article.usedFallback,
  });
}

function convertRoot(
  root: Element,
  page: { url: string; baseUrl: string; title: string; usedFallback: boolean },
): ExtractedPage {
  const links = numberLinks(root, page.url, page.baseUrl);
  const markdown = tidy(converter.turndown(root as HTMLElement));
  return { url: page.url, title: page.title, markdown, links, usedFallback: page.usedFallback };
}

function tidy(markdown: string): string {
  return markdown
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
