import { UnsupportedFileError } from '../errors.js';
import { capText } from './cap-text.js';
import { charsetParameter, decodeText, metaCharset } from './decode-text.js';
import { detectFormat } from './detect-format.js';
import { csvToText } from './extract-csv.js';
import { type HtmlToMarkdown, htmlToText } from './extract-html.js';
import { jsonToText } from './extract-json.js';
import { extractPdf } from './extract-pdf.js';
import { type ExtractedText, SUPPORTED_FILE_TYPES } from './extracted-text.js';
import { markdownTitle } from './markdown-title.js';

export interface ExtractTextInput {
  bytes: Buffer;
  filename: string;
  contentType?: string;
}

export interface ExtractTextOptions {
  /** Characters of text kept at most; the rest is cut with a note. Default 1,000,000. */
  maxChars?: number;
  /** How HTML becomes Markdown (the web tools' `htmlToMarkdown`); required to read an HTML file. */
  htmlToMarkdown?: HtmlToMarkdown;
}

export const DEFAULT_MAX_EXTRACTED_CHARS = 1_000_000;

/**
 * A file's text for indexing. The format comes from the content type, then
 * the extension, then the bytes (see detectFormat). Binary content is
 * refused with UnsupportedFileError rather than read as garbage; a file of a
 * supported format that cannot be read gives ExtractionError.
 */
export async function extractText(
  input: ExtractTextInput,
  options: ExtractTextOptions = {},
): Promise<ExtractedText> {
  const maxChars = options.maxChars ?? DEFAULT_MAX_EXTRACTED_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 1)
    throw new RangeError('maxChars must be a positive whole number');
  const { format, label } = detectFormat(input);
  if (format === 'pdf') return capText(await extractPdf(input.bytes, input.filename, maxChars), maxChars);

  const charset =
    charsetParameter(input.contentType) ?? (format === 'html' ? metaCharset(input.bytes) : undefined);
  const decoded = decodeText(input.bytes, charset);
  if (decoded === undefined)
    throw new UnsupportedFileError(
      label,
      `"${input.filename}" (${label}) is not a text file agentd can read: its content is binary. ` +
        `Supported: ${SUPPORTED_FILE_TYPES}.`,
    );
  const text = decoded.replace(/\r\n?/g, '\n');
  return capText(fromText(text, format, input.filename, options.htmlToMarkdown), maxChars);
}

function fromText(
  text: string,
  format: Exclude<ExtractedText['format'], 'pdf'>,
  filename: string,
  htmlToMarkdown: HtmlToMarkdown | undefined,
): ExtractedText {
  switch (format) {
    case 'html':
      if (!htmlToMarkdown) throw new TypeError('extractText needs options.htmlToMarkdown to read HTML');
      return { format, ...htmlToText(text, filename, htmlToMarkdown) };
    case 'json':
      return { format, text: jsonToText(text, filename) };
    case 'csv':
      return { format, text: csvToText(text, filename) };
    case 'markdown': {
      const title = markdownTitle(text);
      return title ? { format, text, title } : { format, text };
    }
    case 'text':
      return { format, text };
  }
}
