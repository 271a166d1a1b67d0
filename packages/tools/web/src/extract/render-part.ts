import type { ExtractedPage } from './html-to-markdown.js';
import type { PageLink } from './number-links.js';

/** The text of one part of a page: title, URL, the markdown and a table of the links it cites. */
export function renderPart(page: ExtractedPage, parts: readonly string[], index: number): string {
  const text = parts[index] ?? '';
  const lines = [
    `Title: ${page.title || '(none)'}`,
    `URL: ${page.url}`,
    `Part ${index + 1} of ${parts.length}`,
    '',
  ];
  lines.push(text === '' ? '(The page has no readable text.)' : text);
  const cited = linksIn(text, page.links);
  if (cited.length > 0) {
    lines.push('', 'Links:');
    for (const link of cited) lines.push(`[${link.number}] ${link.text} → ${link.url}`);
  }
  return lines.join('\n');
}

function linksIn(text: string, links: readonly PageLink[]): PageLink[] {
  const numbers = new Set<number>();
  for (const match of text.matchAll(/\[(\d+)\]/g)) numbers.add(Number(match[1]));
  return links.filter((link) => numbers.has(link.number));
}
