/**
 * HTML to readable Markdown with the page's links numbered: the web tools'
 * `htmlToMarkdown` (jsdom: no script runs, nothing is loaded), which the
 * server passes in, so this package does not depend on the web tools.
 */
export type HtmlToMarkdown = (
  html: string,
  url: string,
) => { title: string; markdown: string; links: { number: number; text: string; url: string }[] };

/** HTML as Markdown, with the document's web links listed at the end. */
export function htmlToText(
  html: string,
  filename: string,
  htmlToMarkdown: HtmlToMarkdown,
): { text: string; title?: string } {
  const page = htmlToMarkdown(html, `file:///${encodeURIComponent(filename)}`);
  const links = page.links.map((link) => `[${link.number}] ${link.text} → ${link.url}`);
  const text = links.length === 0 ? page.markdown : `${page.markdown}\n\nLinks:\n${links.join('\n')}`;
  return page.title ? { text, title: page.title } : { text };
}
