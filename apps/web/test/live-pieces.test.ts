import { describe, expect, it } from 'vitest';
import { isPlainParagraph, livePieces } from '../src/chat/live-pieces.js';

const words = (count: number, word = 'word') =>
  Array.from({ length: count }, (_, i) => `${word}${i}`).join(' ');

describe('the pieces a paragraph being written is rendered in', () => {
  it('cuts at spaces once a piece is long enough, losing nothing but the spaces cut at', () => {
    const text = words(500);
    const pieces = livePieces(text, 200);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join(' ')).toBe(text);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(200);
  });

  it('keeps its earlier pieces as the text grows, so each is parsed once', () => {
    const text = words(800);
    const before = livePieces(text.slice(0, 3000), 200);
    const after = livePieces(text, 200);
    expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
    expect(after[before.length - 1]?.startsWith(before.at(-1) ?? '')).toBe(true);
  });

  it('never cuts inside emphasis, a code span, a link or math', () => {
    const open = ['**bold ', '`code ', '[a link ', '$x + '];
    for (const opener of open) {
      const text = `${words(20)} ${opener}${words(200)}`;
      const pieces = livePieces(text, 50);
      // The construct opened early: no cut after it (only before it).
      const cutAfterOpener = pieces.slice(0, -1).some((piece, index) => {
        const upTo = pieces.slice(0, index + 1).join(' ');
        return upTo.includes(opener.trim());
      });
      expect(cutAfterOpener, opener).toBe(false);
    }
    // Closed again: cuts resume after it.
    const closed = livePieces(`${words(20)} **bold** ${words(200)}`, 50);
    expect(closed.length).toBeGreaterThan(5);
  });

  it('tells a plain paragraph from blocks whose lines could change how it reads', () => {
    expect(isPlainParagraph(words(30))).toBe(true);
    expect(isPlainParagraph(`${words(5)}\n${words(5)}`)).toBe(true);
    for (const other of [
      '# heading',
      '- item',
      '1. item',
      '> quote',
      '| a | b |',
      '```js',
      '    code',
      '---',
    ])
      expect(isPlainParagraph(`${words(5)}\n${other}`), other).toBe(false);
  });
});
