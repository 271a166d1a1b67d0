export type ContentKind = 'html' | 'text' | 'unsupported';

/** How a response body can be read: as HTML to extract, as plain text, or not at all. */
export function contentKindOf(contentType: string | undefined, body: Uint8Array): ContentKind {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime.startsWith('text/')) return 'text';
  if (
    mime === 'application/json' ||
    mime.endsWith('+json') ||
    mime === 'application/xml' ||
    mime.endsWith('+xml')
  ) {
    return 'text';
  }
  if (mime === '' || mime === 'application/octet-stream') return sniff(body);
  return 'unsupported';
}

function sniff(body: Uint8Array): ContentKind {
  const head = new TextDecoder('utf-8').decode(body.subarray(0, 512));
  if (head.includes('\u0000') || head.includes('\ufffd')) return 'unsupported';
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(head) ? 'html' : 'text';
}
