export type TextFormat = 'text' | 'markdown' | 'html' | 'json' | 'csv' | 'pdf';

/** A file's text, ready to chunk and index. */
export interface ExtractedText {
  text: string;
  format: TextFormat;
  /** From the PDF's metadata, the HTML <title> or the first Markdown heading. */
  title?: string;
  /** PDF only: the document's page count. */
  pages?: number;
  /** The text was cut at the size limit; it ends with a note saying so. */
  truncated?: boolean;
}

/** For error messages and documentation. */
export const SUPPORTED_FILE_TYPES =
  'plain text (UTF-8, UTF-16 with a byte-order mark, or Windows-1252), Markdown, HTML, JSON, CSV/TSV and PDF';
