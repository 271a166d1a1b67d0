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

const converter = createMarkdownConverter();
const MIN_ARTICLE_CHARS = 80;
const DROPPED_FROM_BODY = 'script, style, noscript, template, iframe, object, embed, svg, canvas';

/**
 * HTML to readable markdown: Mozilla Readability on a jsdom document (its
 * scripts are never run and nothing it references is loaded), then Turndown.
 * When Readability finds no article, the whole body is converted instead.
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
    const links = numberLinks(root, url, document.baseURI);
    const markdown = tidy(converter.turndown(root as HTMLElement));
    const title = (article?.title ?? '').trim() || pageTitle;
    return { url, title, markdown, links, usedFallback };
  } finally {
    dom.window.close();
  }
}

function tidy(markdown: string): string {
  return markdown
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
