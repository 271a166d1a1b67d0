import { describe, expect, it } from 'vitest';
import { type Chunk, chunkText, countTokens } from '../src/index.js';

/** Each chunk's text is the slice its offsets name. */
function expectConsistent(text: string, chunks: Chunk[]): void {
  for (const [i, chunk] of chunks.entries()) {
    expect(chunk.index).toBe(i);
    expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    expect(countTokens(chunk.text)).toBe(chunk.tokens);
  }
}

const sentence = (n: number) => `Sentence number ${n} talks about topic ${n}.`; // 8 tokens

describe('countTokens', () => {
  it('counts words, punctuation marks and CJK characters, splitting very long words', () => {
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens("don't stop")).toBe(4);
    expect(countTokens('  ')).toBe(0);
    expect(countTokens('東京都に住む')).toBe(6);
    expect(countTokens('a'.repeat(25))).toBe(3);
    expect(countTokens('version 1.2.3')).toBe(6);
  });
});

describe('chunkText', () => {
  it('returns nothing for empty or blank text, and one chunk for short text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\n ')).toEqual([]);
    const text = '  Short text.  ';
    expect(chunkText(text)).toEqual([{ index: 0, text: 'Short text.', start: 2, end: 13, tokens: 3 }]);
  });

  it('validates its options', () => {
    expect(() => chunkText('x', { maxTokens: 0 })).toThrow(RangeError);
    expect(() => chunkText('x', { maxTokens: 10.5 })).toThrow(/maxTokens must be a positive whole number/);
    expect(() => chunkText('x', { maxTokens: 10, overlapTokens: -1 })).toThrow(/overlapTokens/);
    expect(() => chunkText('x', { maxTokens: 10, overlapTokens: 10 })).toThrow(
      'chunkText: overlapTokens (10) must be less than maxTokens (10)',
    );
    expect(() => chunkText('x')).not.toThrow();
  });

  it('keeps every chunk within maxTokens and covers the whole text', () => {
    const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text, { maxTokens: 50, overlapTokens: 10 });
    expectConsistent(text, chunks);
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) expect(chunk.tokens).toBeLessThanOrEqual(50);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.length);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThanOrEqual(chunks[i - 1]!.end);
  });

  it('prefers paragraph breaks', () => {
    const paragraph = (n: number) => `${sentence(n)} ${sentence(n + 100)}`; // 16 tokens
    const text = [paragraph(1), paragraph(2), paragraph(3), paragraph(4)].join('\n\n');
    const chunks = chunkText(text, { maxTokens: 40, overlapTokens: 0 });
    expectConsistent(text, chunks);
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      `${paragraph(1)}\n\n${paragraph(2)}`,
      `${paragraph(3)}\n\n${paragraph(4)}`,
    ]);
  });

  it('falls back to sentence breaks inside a long paragraph', () => {
    const text = Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text, { maxTokens: 30, overlapTokens: 0 });
    expectConsistent(text, chunks);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^Sentence number \d+ .*\.$/);
    expect(chunks.map((chunk) => chunk.tokens)).toEqual([24, 24, 24, 8]);
  });

  it('falls back to word breaks inside a long sentence, and cuts hard only inside an endless word', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const byWords = chunkText(words, { maxTokens: 15, overlapTokens: 0 });
    expectConsistent(words, byWords);
    expect(byWords.map((chunk) => chunk.tokens)).toEqual([15, 15, 10]);
    for (const chunk of byWords) expect(chunk.text).toMatch(/^word\d+( word\d+)*$/);

    const endless = 'x'.repeat(300);
    const hard = chunkText(endless, { maxTokens: 8, overlapTokens: 0 });
    expectConsistent(endless, hard);
    expect(hard.map((chunk) => chunk.text.length)).toEqual([80, 80, 80, 60]);
  });

  it('repeats about overlapTokens tokens, starting the overlap at a sentence start when it can', () => {
    const text = Array.from({ length: 20 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text, { maxTokens: 35, overlapTokens: 10 });
    expectConsistent(text, chunks);
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!;
      const current = chunks[i]!;
      const shared = text.slice(current.start, previous.end);
      expect(countTokens(shared)).toBeGreaterThan(0);
      expect(countTokens(shared)).toBeLessThanOrEqual(10);
      expect(current.text).toMatch(/^Sentence number/);
    }
  });

  it('starts the overlap at a word when no sentence starts within it', () => {
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkText(text, { maxTokens: 20, overlapTokens: 5 });
    expectConsistent(text, chunks);
    expect(chunks[1]!.text.startsWith('w15 ')).toBe(true);
    expect(chunks[0]!.text.endsWith(' w19')).toBe(true);
  });

  it('uses the defaults of 400 tokens with 80 of overlap', () => {
    const text = Array.from({ length: 200 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text);
    expectConsistent(text, chunks);
    expect(Math.max(...chunks.map((chunk) => chunk.tokens))).toBeLessThanOrEqual(400);
    expect(chunks[0]!.tokens).toBeGreaterThan(300);
    const shared = text.slice(chunks[1]!.start, chunks[0]!.end);
    expect(countTokens(shared)).toBeGreaterThan(60);
    expect(countTokens(shared)).toBeLessThanOrEqual(80);
  });

  it('splits CJK text, which has no spaces, after its sentence marks', () => {
    const text = '今日は晴れです。明日は雨が降るでしょう。週末は出かけます。'.repeat(3);
    const chunks = chunkText(text, { maxTokens: 20, overlapTokens: 0 });
    expectConsistent(text, chunks);
    for (const chunk of chunks) expect(chunk.text.endsWith('。')).toBe(true);
  });
});
