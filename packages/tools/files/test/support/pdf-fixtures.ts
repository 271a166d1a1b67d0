import { PDFDocument, PDFHexString, PDFName, PDFNumber, StandardFonts } from 'pdf-lib';

/** A PDF with one page per entry, each page's lines drawn top to bottom. */
export async function makePdf(pages: string[][], options: { title?: string } = {}): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = document.addPage([595, 842]);
    for (const [i, line] of lines.entries()) page.drawText(line, { x: 50, y: 780 - i * 20, size: 12, font });
  }
  if (options.title) document.setTitle(options.title);
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/**
 * A PDF whose trailer declares the standard security handler with a user
 * password: the /U entry matches no password, so readers must ask for one.
 */
export async function makePasswordProtectedPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage();
  const context = document.context;
  const encrypt = context.obj({
    Filter: PDFName.of('Standard'),
    V: PDFNumber.of(1),
    R: PDFNumber.of(2),
    O: PDFHexString.of('ab'.repeat(32)),
    U: PDFHexString.of('cd'.repeat(32)),
    P: PDFNumber.of(-4),
  });
  context.trailerInfo.Encrypt = context.register(encrypt);
  context.trailerInfo.ID = context.obj([PDFHexString.of('01'.repeat(16)), PDFHexString.of('01'.repeat(16))]);
  return Buffer.from(await document.save({ useObjectStreams: false }));
}
