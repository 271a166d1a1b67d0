import type { ExtractedText } from './extracted-text.js';

/** Cuts the text at `maxChars` (never inside a surrogate pair) and says so at the end. */
export function capText(extracted: ExtractedText, maxChars: number): ExtractedText {
  if (extracted.text.length <= maxChars) return extracted;
  let end = maxChars;
  const last = extracted.text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const note = `[The text was cut here: the file holds more than the ${maxChars.toLocaleString('en-US')} characters that are extracted.]`;
  return { ...extracted, text: `${extracted.text.slice(0, end).trimEnd()}\n\n${note}`, truncated: true };
}
