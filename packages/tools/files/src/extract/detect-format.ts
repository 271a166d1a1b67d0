import type { TextFormat } from './extracted-text.js';

export interface DetectedFormat {
  format: TextFormat;
  /** What the file was recognised by, for messages: a content type, an extension or `unknown type`. */
  label: string;
}

const BY_CONTENT_TYPE: Readonly<Record<string, TextFormat>> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/json': 'json',
  'text/json': 'json',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
};

const BY_EXTENSION: Readonly<Record<string, TextFormat>> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.pdf': 'pdf',
};

/**
 * Types that say nothing about the content: clients send them for any file
 * (text/plain included, for .md, .csv or .json alike), so the extension or
 * the bytes decide instead.
 */
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'text/plain']);

/** The media type without parameters, lower case: `Text/HTML; charset=utf-8` → `text/html`. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The content type decides when it names a supported format, then the
 * extension, then the bytes: `%PDF-` near the start is a PDF, an HTML
 * doctype is HTML, anything else is text if it decodes as text (checked
 * by the caller).
 */
export function detectFormat(input: {
  bytes: Uint8Array;
  filename: string;
  contentType?: string;
}): DetectedFormat {
  const type = mediaType(input.contentType);
  const declared = BY_CONTENT_TYPE[type] ?? (type.endsWith('+json') ? 'json' : undefined);
  if (declared) return { format: declared, label: type };
  const extension = extensionOf(input.filename);
  const byExtension = BY_EXTENSION[extension];
  if (byExtension) return { format: byExtension, label: extension };
  const label = (UNINFORMATIVE.has(type) ? extension : type) || 'unknown type';
  return { format: sniff(input.bytes), label };
}

function extensionOf(filename: string): string {
  const match = /\.[a-z0-9]+$/i.exec(filename.trim());
  return match ? match[0].toLowerCase() : '';
}

function sniff(bytes: Uint8Array): TextFormat {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  // The PDF specification lets readers accept a header within the first 1024 bytes.
  if (head.includes('%PDF-')) return 'pdf';
  if (/^\s*(?:<!doctype\s+html|<html[\s>])/i.test(head.replace(/^\u00ef\u00bb\u00bf/, ''))) return 'html';
  return 'text';
}
