export interface CappedText {
  text: string;
  truncated: boolean;
}

/**
 * Cuts `text` to at most `max` characters plus a marker that says how much was
 * dropped. `keep: 'end'` keeps the tail (tracebacks: the newest frames matter).
 */
export function capText(text: string, max: number, keep: 'start' | 'end' = 'start'): CappedText {
  if (text.length <= max) return { text, truncated: false };
  const dropped = text.length - max;
  const marker = `[… ${dropped} characters truncated …]`;
  return keep === 'start'
    ? { text: `${text.slice(0, max)}\n${marker}`, truncated: true }
    : { text: `${marker}\n${text.slice(text.length - max)}`, truncated: true };
}
