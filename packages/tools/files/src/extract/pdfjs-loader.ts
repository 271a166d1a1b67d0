import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<Pdfjs> | undefined;

/** pdf.js is large: loaded on the first PDF, not when the package is imported. */
export function loadPdfjs(): Promise<Pdfjs> {
  loading ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return loading;
}

/**
 * Where pdf.js reads its character maps and font data: the installed
 * package's own folders, read from disk (its Node factories use fs), so
 * nothing is fetched. The character maps decode CJK text.
 */
export function pdfjsDataPaths(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => join(root, name) + sep;
  return { cMapUrl: folder('cmaps'), standardFontDataUrl: folder('standard_fonts'), wasmUrl: folder('wasm') };
}
