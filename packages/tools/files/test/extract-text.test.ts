import { randomBytes } from 'node:crypto';
import { htmlToMarkdown } from '@agentd/tool-web';
import { describe, expect, it } from 'vitest';
import { ExtractionError, extractText, UnsupportedFileError } from '../src/index.js';
import { makePasswordProtectedPdf, makePdf } from './support/pdf-fixtures.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('extractText: text formats', () => {
  it('reads plain UTF-8 text as is, line endings normalised', async () => {
    const result = await extractText({
      bytes: bytes('Grüße aus Köln\r\nzweite Zeile'),
      filename: 'notes.txt',
    });
    expect(result).toEqual({ format: 'text', text: 'Grüße aus Köln\nzweite Zeile' });
  });

  it('reads Markdown and takes its first level-one heading as the title', async () => {
    const markdown = '## not this\n\n# Release plan\n\nShip on *Friday*.';
    const result = await extractText({ bytes: bytes(markdown), filename: 'plan.md' });
    expect(result).toEqual({ format: 'markdown', text: markdown, title: 'Release plan' });
  });

  it('converts HTML to Markdown without running scripts, and keeps its title and links', async () => {
    const html =
      '<!doctype html><html><head><title>Otter facts</title><script>globalThis.ran = true</script></head>' +
      '<body><h1>Otters</h1><p>Sea otters <b>hold hands</b> while they sleep.</p>' +
      '<p>See <a href="https://example.org/otters">the otter page</a>.</p><script>document.write("INJECTED")</script></body></html>';
    const result = await extractText({ bytes: bytes(html), filename: 'otters.html' }, { htmlToMarkdown });
    expect(result.format).toBe('html');
    expect(result.title).toBe('Otter facts');
    expect(result.text).toContain('Sea otters **hold hands** while they sleep.');
    expect(result.text).toContain('https://example.org/otters');
    expect(result.text).not.toContain('INJECTED');
    expect(result.text).not.toContain('<p>');
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });

  it('pretty-prints JSON, keeping keys as searchable words', async () => {
    const result = await extractText({
      bytes: bytes('{"customer":{"name":"Ada","plan":"pro"},"seats":[1,2]}'),
      filename: 'data.json',
    });
    expect(result.format).toBe('json');
    expect(result.text).toBe(
      '{\n  "customer": {\n    "name": "Ada",\n    "plan": "pro"\n  },\n  "seats": [\n    1,\n    2\n  ]\n}',
    );
  });

  it('refuses invalid JSON with an ExtractionError that says why', async () => {
    const failure = extractText({ bytes: bytes('{"a": 1,'), filename: 'broken.json' });
    await expect(failure).rejects.toBeInstanceOf(ExtractionError);
    await expect(failure).rejects.toThrow(/"broken.json" is not valid JSON/);
  });

  it('renders CSV rows as header: value lines, one paragraph per row', async () => {
    const csv = 'name,city,notes\nAda,London,"likes ""maths"", tea"\nGrace,,Navy\n';
    const result = await extractText({ bytes: bytes(csv), filename: 'people.csv' });
    expect(result.format).toBe('csv');
    expect(result.text).toBe(
      'Table with 2 row(s) and 3 column(s): name, city, notes.\n\n' +
        '[row 1]\nname: Ada\ncity: London\nnotes: likes "maths", tea\n\n' +
        '[row 2]\nname: Grace\nnotes: Navy',
    );
  });

  it('detects semicolon and tab delimiters, and names cells without a header', async () => {
    const semicolons = await extractText({
      bytes: bytes('Produkt;Preis\nKaffee;3,50;extra\n'),
      filename: 'preise.csv',
    });
    expect(semicolons.text).toContain('[row 1]\nProdukt: Kaffee\nPreis: 3,50\ncolumn 3: extra');
    const tabs = await extractText({ bytes: bytes('a\tb\n1\t2\n'), filename: 'x.tsv' });
    expect(tabs.text).toContain('[row 1]\na: 1\nb: 2');
  });

  it('decides by content type first, then extension, then the bytes', async () => {
    const json = bytes('{"k": "v"}');
    expect(
      (await extractText({ bytes: json, filename: 'data.txt', contentType: 'application/json' })).format,
    ).toBe('json');
    expect(
      (await extractText({ bytes: json, filename: 'data.json', contentType: 'text/plain' })).format,
    ).toBe('json');
    expect(
      (await extractText({ bytes: json, filename: 'data.json', contentType: 'application/octet-stream' }))
        .format,
    ).toBe('json');
    expect(
      (await extractText({ bytes: json, filename: 'x', contentType: 'application/ld+json' })).format,
    ).toBe('json');
    expect((await extractText({ bytes: bytes('print(1)'), filename: 'script.py' })).format).toBe('text');
    expect(
      (
        await extractText(
          { bytes: bytes('<!DOCTYPE html><title>t</title><p>x</p>'), filename: 'page' },
          { htmlToMarkdown },
        )
      ).format,
    ).toBe('html');
  });

  it('honours a byte-order mark, a declared charset, and falls back to Windows-1252', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('naïve café', 'utf16le')]);
    expect((await extractText({ bytes: utf16, filename: 'a.txt' })).text).toBe('naïve café');
    const latin1 = Buffer.from('naïve café', 'latin1');
    expect(
      (await extractText({ bytes: latin1, filename: 'b.txt', contentType: 'text/plain; charset=iso-8859-1' }))
        .text,
    ).toBe('naïve café');
    expect((await extractText({ bytes: latin1, filename: 'c.txt' })).text).toBe('naïve café');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('text')]);
    expect((await extractText({ bytes: bom, filename: 'd.txt' })).text).toBe('text');
  });

  it('cuts text at maxChars and says so', async () => {
    const result = await extractText(
      { bytes: bytes('word '.repeat(100)), filename: 'long.txt' },
      { maxChars: 50 },
    );
    expect(result.truncated).toBe(true);
    expect(result.text.startsWith('word word')).toBe(true);
    expect(result.text).toMatch(
      /\n\n\[The text was cut here: the file holds more than the 50 characters that are extracted\.\]$/,
    );
    expect(result.text.split('\n\n')[0]!.length).toBeLessThanOrEqual(50);
  });
});

describe('extractText: binary input', () => {
  it('refuses random bytes as an unsupported file, naming the type and the supported ones', async () => {
    const junk = randomBytes(4096);
    const failure = extractText({ bytes: junk, filename: 'blob.bin' });
    await expect(failure).rejects.toBeInstanceOf(UnsupportedFileError);
    await expect(failure).rejects.toThrow(
      /"blob.bin" \(\.bin\) is not a text file .* Supported: .*Markdown, HTML, JSON, CSV\/TSV and PDF/,
    );
  });

  it('refuses an image even when it is named like a text file', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(256)]);
    await expect(
      extractText({ bytes: png, filename: 'photo.png', contentType: 'image/png' }),
    ).rejects.toMatchObject({
      name: 'UnsupportedFileError',
      fileType: 'image/png',
      code: 'unsupported_file',
      category: 'invalid_request',
    });
    await expect(extractText({ bytes: png, filename: 'notes.txt' })).rejects.toBeInstanceOf(
      UnsupportedFileError,
    );
  });

  it('refuses text with NUL bytes (UTF-16 without a byte-order mark, binary formats)', async () => {
    await expect(
      extractText({ bytes: Buffer.from('hello', 'utf16le'), filename: 'x.txt' }),
    ).rejects.toBeInstanceOf(UnsupportedFileError);
  });
});

describe('extractText: PDF', () => {
  it('reads a two-page PDF page by page, with page markers, the page count and the title', async () => {
    const pdf = await makePdf(
      [
        ['Quarterly report', 'Revenue grew by twelve percent.'],
        ['Outlook', 'Hiring continues in Lisbon.'],
      ],
      { title: 'Q3 Report' },
    );
    const result = await extractText({ bytes: pdf, filename: 'report.pdf', contentType: 'application/pdf' });
    expect(result).toEqual({
      format: 'pdf',
      pages: 2,
      title: 'Q3 Report',
      text:
        '--- Page 1 of 2 ---\n\nQuarterly report\nRevenue grew by twelve percent.\n\n' +
        '--- Page 2 of 2 ---\n\nOutlook\nHiring continues in Lisbon.',
    });
  });

  it('recognises a PDF by its bytes when the name and type say nothing', async () => {
    const pdf = await makePdf([['Sniffed.']]);
    const result = await extractText({
      bytes: pdf,
      filename: 'upload',
      contentType: 'application/octet-stream',
    });
    expect(result).toMatchObject({ format: 'pdf', pages: 1, text: '--- Page 1 of 1 ---\n\nSniffed.' });
  });

  it('reports a corrupt PDF clearly', async () => {
    const pdf = await makePdf([['Some text.']]);
    const corrupt = Buffer.concat([
      pdf.subarray(0, 200),
      Buffer.from('this is not the rest of a PDF '.repeat(10)),
    ]);
    const failure = extractText({ bytes: corrupt, filename: 'broken.pdf' });
    await expect(failure).rejects.toBeInstanceOf(ExtractionError);
    await expect(failure).rejects.toThrow('"broken.pdf" is not a valid PDF');
  });

  it('reports a password-protected PDF clearly', async () => {
    await expect(
      extractText({ bytes: await makePasswordProtectedPdf(), filename: 'secret.pdf' }),
    ).rejects.toThrow('"secret.pdf" is protected by a password');
  });

  it('reports a PDF without any text layer (a scan) instead of indexing nothing', async () => {
    await expect(extractText({ bytes: await makePdf([[], []]), filename: 'scan.pdf' })).rejects.toThrow(
      /has no text layer .* OCR/,
    );
  });

  it('stops reading pages once the size limit is passed', async () => {
    const pages = Array.from({ length: 6 }, (_, i) => [`Page number ${i + 1} has some words on it.`]);
    const result = await extractText(
      { bytes: await makePdf(pages), filename: 'long.pdf' },
      { maxChars: 100 },
    );
    expect(result.truncated).toBe(true);
    expect(result.pages).toBe(6);
    expect(result.text).not.toContain('Page number 4');
  });
});
