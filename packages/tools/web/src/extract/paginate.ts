/**
 * Splits markdown into parts of at most `pageSize` characters, at blank lines
 * when it can, then at line ends, and only inside a line that is itself too
 * long. Always at least one part.
 */
export function paginate(markdown: string, pageSize: number): string[] {
  const size = Math.max(200, Math.floor(pageSize));
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') parts.push(current.trim());
    current = '';
  };
  for (const block of markdown.split(/\n{2,}/)) {
    for (const piece of splitLong(block, size)) {
      const joined = current === '' ? piece : `${current}\n\n${piece}`;
      if (joined.length > size) {
        flush();
        current = piece;
      } else {
        current = joined;
      }
    }
  }
  flush();
  return parts.length > 0 ? parts : [''];
}

function splitLong(block: string, size: number): string[] {
  if (block.length <= size) return [block];
  const pieces: string[] = [];
  let current = '';
  for (const line of block.split('\n')) {
    for (let start = 0; start < Math.max(line.length, 1); start += size) {
      const chunk = line.slice(start, start + size);
      const joined = current === '' ? chunk : `${current}\n${chunk}`;
      if (joined.length > size) {
        pieces.push(current);
        current = chunk;
      } else {
        current = joined;
      }
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
