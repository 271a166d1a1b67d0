/**
 * Bytes to text with the charset the server declared, or for HTML the one
 * its byte-order mark or <meta> declares, falling back to UTF-8.
 */
export function decodeText(bytes: Uint8Array, contentType: string | undefined, html: boolean): string {
  const label = bomCharset(bytes) ?? charsetParameter(contentType) ?? (html ? metaCharset(bytes) : undefined);
  return decoderFor(label).decode(bytes);
}

function decoderFor(label: string | undefined): TextDecoder {
  if (label !== undefined) {
    try {
      return new TextDecoder(label);
    } catch {
      // An unknown label: read as UTF-8, as browsers do.
    }
  }
  return new TextDecoder('utf-8');
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function charsetParameter(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const match = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return match?.[1];
}
