/**
 * Splits a Go template (text/template, as Helm uses it) into text and the
 * bodies of its actions, applying the trim markers: `{{- ` removes the
 * white space before the action, ` -}}` the white space after it. Comments
 * (`{{/* ... *\/}}`) are dropped, their trim markers still applied.
 */
export type Piece = { kind: 'text'; text: string } | { kind: 'action'; body: string; line: number };

export function lex(source: string, name: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  let trimNext = false;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    let text = source.slice(at, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open === -1) {
      pieces.push({ kind: 'text', text });
      break;
    }
    const close = findClose(source, open + 2, name);
    let body = source.slice(open + 2, close);
    // A trim marker is a dash next to the delimiter, followed (or preceded) by white space.
    const trimLeft = /^-\s/.test(body);
    const trimRight = /\s-$/.test(body);
    if (trimLeft) {
      text = text.replace(/\s+$/, '');
      body = body.slice(1);
    }
    if (trimRight) body = body.slice(0, -1);
    pieces.push({ kind: 'text', text });
    body = body.trim();
    if (!(body.startsWith('/*') && body.endsWith('*/'))) {
      pieces.push({ kind: 'action', body, line: source.slice(0, open).split('\n').length });
    }
    trimNext = trimRight;
    at = close + 2;
  }
  return pieces.filter((piece) => piece.kind === 'action' || piece.text !== '');
}

/** The `}}` that closes an action opened before `from`, skipping quoted strings and comments. */
function findClose(source: string, from: number, name: string): number {
  let i = from;
  while (i < source.length) {
    const char = source[i];
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end === -1) break;
      i = end + 2;
    } else if (char === '"' || char === '`') {
      i++;
      while (i < source.length && source[i] !== char) i += char === '"' && source[i] === '\\' ? 2 : 1;
      i++;
    } else if (source.startsWith('}}', i)) {
      return i;
    } else {
      i++;
    }
  }
  throw new Error(`${name}: an action opened with {{ is not closed`);
}
