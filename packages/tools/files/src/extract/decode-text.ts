/**
 * Control characters that text files do not contain: C0 except tab, line
 * breaks, form feed and escape (logs keep their ANSI colours), DEL and C1.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f-\u009f]/g;
/** Random bytes give about 12%; a text file with a few stray controls stays well under. */
const MAX_CONTROL_SHARE = 0.01;

/**
 * Bytes to text, or undefined when the bytes are not text. A byte-order mark
 * wins, then a declared charset; otherwise strict UTF-8, and, when that
 * fails, Windows-1252 (the usual encoding of older text files) if the
 * result has no control characters. Binary data decodes to either invalid
 * UTF-8 or control characters, so it is never returned as garbage text.
 */
export function decodeText(bytes: Uint8Array, charset?: string): string | undefined {
  const text = decode(bytes, bomCharset(bytes) ?? charset);
  return text !== undefined && looksLikeText(text) ? text : undefined;
}

function decode(bytes: Uint8Array, label: string | undefined): string | undefined {
  if (label !== undefined && !/^utf-?8$/i.test(label)) {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown label: try UTF-8 as below.
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function looksLikeText(text: string): boolean {
  if (text.includes('\u0000')) return false;
  const controls = text.match(CONTROL)?.length ?? 0;
  return controls <= text.length * MAX_CONTROL_SHARE;
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The `charset` parameter of a content type. */
export function charsetParameter(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
}

/** The charset an HTML document declares in a <meta> tag near its start. */
export function metaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}
