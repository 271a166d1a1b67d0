import { useEffect, useState } from 'react';

/** Items the first paint of a conversation shows: its end, where the reader is. */
const FIRST = 60;
/** Older items mounted per frame after that, so that no frame is long. */
const CHUNK = 80;

/**
 * The tail of `items` to render, growing to all of them a chunk per frame
 * after the first paint: a long conversation shows its end at once, and its
 * beginning mounts while the reader looks at it (scrolled to the bottom, the
 * view does not move).
 */
export function useProgressive<T>(items: readonly T[]): readonly T[] {
  const [shown, setShown] = useState(() => Math.min(items.length, FIRST));
  // A new list (another conversation) starts over.
  const [source, setSource] = useState(items);
  if (source !== items) {
    setSource(items);
    setShown(Math.min(items.length, FIRST));
  }
  useEffect(() => {
    if (shown >= items.length) return;
    const frame = requestAnimationFrame(() => setShown((count) => Math.min(items.length, count + CHUNK)));
    return () => cancelAnimationFrame(frame);
  }, [shown, items.length]);
  return shown >= items.length ? items : items.slice(items.length - shown);
}
