/** A part of a text: text.slice(start, end). */
export interface TextWindow {
  start: number;
  end: number;
}

/**
 * Overlapping windows over a long text, so that an instruction hidden in a
 * long document is scored on its own rather than diluted by the rest. Each
 * window is `size` characters and starts `stride` after the previous one; a
 * text no longer than `size` is one window. Edges move back to a space when
 * one is near, so that words are not cut.
 */
export function textWindows(text: string, size: number, stride: number): TextWindow[] {
  if (text.length <= size) return [{ start: 0, end: text.length }];
  const windows: TextWindow[] = [];
  for (let start = 0; ; start += stride) {
    const from = snap(text, start);
    const end = start + size >= text.length ? text.length : snap(text, start + size);
    windows.push({ start: from, end });
    if (end >= text.length) return windows;
  }
}

function snap(text: string, at: number): number {
  for (let i = at; i > at - 24 && i > 0; i--) if (text[i] === ' ' || text[i] === '\n') return i + 1;
  return at;
}
