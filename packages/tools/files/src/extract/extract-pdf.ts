import type { TextContent } from 'pdfjs-dist/types/src/display/api.js';
import { ExtractionError } from '../errors.js';
import type { ExtractedText } from './extracted-text.js';
import { loadPdfjs, pdfjsDataPaths } from './pdfjs-loader.js';

/** The line before each page's text, so chunks and citations can say which page a passage is on. */
function pageMarker(page: number, pages: number): string {
  return `--- Page ${page} of ${pages} ---`;
}

/**
 * The text layer of a PDF, page by page, through pdf.js (no scripts: eval is
 * off and XFA forms are not run; no fonts are loaded into a page). Stops
 * reading pages once `maxChars` is passed. Scanned pages have no text layer:
 * a PDF with no text at all is an error rather than an empty document.
 */
export async function extractPdf(
  bytes: Uint8Array,
  filename: string,
  maxChars: number,
): Promise<ExtractedText> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // A copy: pdf.js takes ownership of the buffer it is given.
    data: new Uint8Array(bytes),
    ...pdfjsDataPaths(),
    cMapPacked: true,
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const document = await task.promise.catch((error: unknown) => {
      throw openError(error, filename);
    });
    const pages: string[] = [];
    let length = 0;
    let withText = 0;
    for (let number = 1; number <= document.numPages && length <= maxChars; number++) {
      const page = await document.getPage(number);
      const text = pageText(await page.getTextContent());
      page.cleanup();
      if (text !== '') withText++;
      const block =
        text === ''
          ? pageMarker(number, document.numPages)
          : `${pageMarker(number, document.numPages)}\n\n${text}`;
      pages.push(block);
      length += block.length + 2;
    }
    if (withText === 0)
      throw new ExtractionError(
        `"${filename}" has no text layer (a scanned document?): agentd does not run OCR, so there is nothing to index.`,
      );
    const title = await documentTitle(document);
    return { text: pages.join('\n\n'), format: 'pdf', pages: document.numPages, ...(title ? { title } : {}) };
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError(`"${filename}" could not be read as a PDF (${(error as Error).message}).`, {
      cause: error,
    });
  } finally {
    await task.destroy();
  }
}

function openError(error: unknown, filename: string): ExtractionError {
  const name = (error as Error)?.name;
  if (name === 'PasswordException')
    return new ExtractionError(
      `"${filename}" is protected by a password: agentd cannot read it. Upload a copy without the password.`,
      { cause: error },
    );
  if (name === 'InvalidPDFException')
    return new ExtractionError(`"${filename}" is not a valid PDF: it is damaged or not a PDF at all.`, {
      cause: error,
    });
  return new ExtractionError(`"${filename}" could not be opened as a PDF (${(error as Error)?.message}).`, {
    cause: error,
  });
}

/** The page's text items in reading order, a line break where pdf.js marks the end of a line. */
function pageText(content: TextContent): string {
  let text = '';
  for (const item of content.items) {
    if (!('str' in item)) continue;
    text += item.str;
    if (item.hasEOL) text += '\n';
  }
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function documentTitle(document: {
  getMetadata(): Promise<{ info: object }>;
}): Promise<string | undefined> {
  const { info } = await document.getMetadata();
  const title = (info as { Title?: unknown }).Title;
  return typeof title === 'string' && title.trim() !== '' ? title.trim() : undefined;
}
