/** The longest file name kept: what most file systems allow. */
export const MAX_FILENAME_LENGTH = 255;

/**
 * Characters a file name never keeps: controls (NUL cannot be stored at all),
 * lone surrogates (not UTF-8), and the bidirectional overrides and isolates
 * that make `txt.exe` look like `exe.txt`.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/gu;

/**
 * A file name as agentd keeps it, whoever gave it (an upload or a tool): no
 * directories, each unsafe character replaced by `_` so that it stays
 * visible, at most 255 characters, never empty, `.` or `..`.
 */
export function safeFilename(name: string, fallback = 'file'): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const cleaned = base.replace(UNSAFE, '_').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return fallback;
  return truncate(cleaned, MAX_FILENAME_LENGTH);
}

/** The first `max` UTF-16 units, without cutting a surrogate pair in half. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1);
  return text.slice(0, cut >= 0xd800 && cut <= 0xdbff ? max - 1 : max);
}
