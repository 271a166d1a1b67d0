import type { Item, OutputItem, UrlCitationAnnotation } from '@agentd/spec';

export interface CitationSource {
  url: string;
  title: string;
}

/**
 * The pages a run may cite: those its web tools read or found, as recorded in
 * completed web_search_call items (this run's and the conversation's). Read
 * from items, not kept aside, so a resumed or replayed run cites the same.
 */
export function citationSources(items: readonly (Item | OutputItem)[]): Map<string, CitationSource> {
  const sources = new Map<string, CitationSource>();
  const add = (url: string | null | undefined, title: string | undefined) => {
    if (!url) return;
    const key = normalizeUrl(url);
    if (key === undefined) return;
    const known = sources.get(key);
    if (!known || (title && known.title === known.url)) sources.set(key, { url, title: title || url });
  };
  for (const item of items) {
    if (item.type !== 'web_search_call' || item.status !== 'completed') continue;
    const action = item.action;
    if (action.type === 'search') for (const source of action.sources ?? []) add(source.url, source.title);
    else if (action.type === 'open_page') add(action.url, action.title);
  }
  return sources;
}

const MARKDOWN_LINK = /\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]+)\)/g;
const BARE_URL = /https?:\/\/[^\s<>"'`)\]]+/g;

/**
 * URL citations for an answer: each markdown link `[label](url)` and each bare
 * URL that names a source. Indexes are UTF-16 code units into `text`.
 */
export function findUrlCitations(
  text: string,
  sources: ReadonlyMap<string, CitationSource>,
): UrlCitationAnnotation[] {
  if (sources.size === 0) return [];
  const found: UrlCitationAnnotation[] = [];
  const covered: [number, number][] = [];
  const cite = (start: number, end: number, url: string) => {
    const key = normalizeUrl(url);
    const source = key === undefined ? undefined : sources.get(key);
    if (!source) return;
    covered.push([start, end]);
    found.push({
      type: 'url_citation',
      start_index: start,
      end_index: end,
      url: source.url,
      title: source.title,
    });
  };
  for (const match of text.matchAll(MARKDOWN_LINK)) {
    cite(match.index, match.index + match[0].length, match[2]!);
  }
  for (const match of text.matchAll(BARE_URL)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    const start = match.index;
    if (covered.some(([from, to]) => start >= from && start < to)) continue;
    cite(start, start + url.length, url);
  }
  return found.sort((a, b) => a.start_index - b.start_index);
}

/** Scheme, host and path without the fragment, a trailing slash or a default port. */
function normalizeUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    const path = parsed.pathname.replace(/\/+$/, '');
    return `${parsed.protocol}//${parsed.host}${path}${parsed.search}`;
  } catch {
    return undefined;
  }
}
