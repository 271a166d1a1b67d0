/** A link on the page, numbered so the model can follow it by number. */
export interface PageLink {
  number: number;
  url: string;
  text: string;
}

export const LINK_NUMBER_ATTRIBUTE = 'data-agentd-link';

/**
 * Numbers the http(s) links under `root` in document order, one number per
 * distinct URL, and marks each anchor with its number (in `attribute`) for
 * the markdown converter. Anchors to the same page (`#section`) and non-web
 * schemes (`mailto:`, `javascript:`) get no number.
 *
 * Self-contained on purpose (no imports, no helpers outside it): the browser
 * runs this very function in the page, from its source text.
 */
export function numberLinks(
  root: Element,
  pageUrl: string,
  baseUrl: string,
  attribute: string = 'data-agentd-link',
): PageLink[] {
  const withoutHash = (url: string) => {
    const at = url.indexOf('#');
    return at === -1 ? url : url.slice(0, at);
  };
  const resolve = (href: string) => {
    try {
      const url = new URL(href, baseUrl);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
    } catch {
      return undefined;
    }
  };
  const links: PageLink[] = [];
  const byUrl = new Map<string, PageLink>();
  const page = withoutHash(pageUrl);
  for (const anchor of root.querySelectorAll('a[href]')) {
    const url = resolve(anchor.getAttribute('href') ?? '');
    if (!url || withoutHash(url) === page) continue;
    let link = byUrl.get(url);
    if (!link) {
      const text = (anchor.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
      link = { number: links.length + 1, url, text: text || url };
      byUrl.set(url, link);
      links.push(link);
    }
    anchor.setAttribute(attribute, String(link.number));
  }
  return links;
}
