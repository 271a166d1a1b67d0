/** The text of the first level-one ATX heading (`# Title`), if any. */
export function markdownTitle(markdown: string): string | undefined {
  return /^#[ \t]+(.+?)[ \t#]*$/m.exec(markdown)?.[1];
}
