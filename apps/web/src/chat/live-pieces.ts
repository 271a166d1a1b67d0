/**
 * Where a long paragraph that is still being written can be cut into pieces
 * that each render the same alone as within the whole: at a space, once the
 * text since the last cut is `size` characters or more, and only where no
 * inline construct is open before it (code spans, emphasis, strikethrough,
 * links, math, HTML, an escape). The cuts depend only on the text before
 * them, so a growing text keeps its earlier pieces: each is parsed once and
 * only the last one again as the text grows.
 */
export function livePieces(paragraph: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  const open = { code: 0, star: 0, under: 0, tilde: 0, bracket: 0, paren: 0 };
  let unsafe = false;
  for (let index = 0; index < paragraph.length; index++) {
    const char = paragraph[index];
    // A run of one marker (`**`, `~~`, ``` `` ```) opens or closes one construct.
    if (char === '`' || char === '*' || char === '_' || char === '~')
      while (paragraph[index + 1] === char) index++;
    if (char === '`') open.code ^= 1;
    else if (open.code) continue;
    else if (char === '*') open.star ^= 1;
    else if (char === '_') open.under ^= 1;
    else if (char === '~') open.tilde ^= 1;
    else if (char === '[') open.bracket++;
    else if (char === ']') open.bracket--;
    else if (char === '(') open.paren++;
    else if (char === ')') open.paren--;
    else if (char === '$' || char === '<' || char === '\\' || char === '&') unsafe = true;
    else if (
      (char === ' ' || char === '\n') &&
      index - start >= size &&
      !unsafe &&
      !open.star &&
      !open.under &&
      !open.tilde &&
      open.bracket === 0 &&
      open.paren === 0
    ) {
      pieces.push(paragraph.slice(start, index));
      start = index + 1;
    }
  }
  pieces.push(paragraph.slice(start));
  return pieces;
}

/**
 * Whether a block is one plain paragraph: no line of it opens another kind
 * of block (heading, quote, list, table, fence, indented code, thematic
 * break, HTML), which could change how the lines before it read.
 */
export function isPlainParagraph(block: string): boolean {
  return !block
    .split('\n')
    .some((line) => /^(\s{0,3}([#>|<]|[*+-]\s|\d+[.)]\s|```|~~~|[-=_*]{3,}\s*$)|\s{4})/.test(line));
}
