import { htmlToMarkdown } from '@agentd/tool-web';

/**
 * HTML as Markdown through the web tools' converter (jsdom: no script runs,
 * nothing is loaded), with the document's web links listed at the end.
 */
export function htmlToText(html: string, filename: string): { text: string; title?: string } {
  const page = htmlToMarkdown(html, `file:///${encodeURIComponent(filename)}`);
  const links = page.links.map((link) => `[${link.number}] ${link.text} → ${link.url}`);
  const text = links.length === 0 ? page.markdown : `${page.markdown}\n\nLinks:\n${links.join('\n')}`;
  return page.title ? { text, title: page.title } : { text };
}
