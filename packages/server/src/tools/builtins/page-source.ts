/**
 * The page a fetch_url or browser result shows: the `Title:` and `URL:` lines
 * the web tools put first in every page part. The first match is the tool's
 * own, since page text comes after them.
 */
export function pageSource(output: string): { url: string; title?: string } | undefined {
  const url = /^URL: (https?:\/\/\S+)$/m.exec(output)?.[1];
  if (!url) return undefined;
  const title = /^Title: (.+)$/m.exec(output)?.[1]?.trim();
  return title && title !== '(none)' ? { url, title } : { url };
}
