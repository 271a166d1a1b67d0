import { describe, expect, it } from 'vitest';
import { cosineSimilarity, HashingEmbeddings } from '../src/index.js';

const embedder = new HashingEmbeddings();
const similarity = (a: string, b: string) => cosineSimilarity(embedder.embedOne(a), embedder.embedOne(b));

describe('HashingEmbeddings', () => {
  it('names its vector space by method, version and dimensions', () => {
    expect(embedder.dimensions).toBe(384);
    expect(embedder.id).toBe('hashing:lexical-v1:384');
    expect(new HashingEmbeddings({ dimensions: 64 }).id).toBe('hashing:lexical-v1:64');
    expect(() => new HashingEmbeddings({ dimensions: 0 })).toThrow(RangeError);
  });

  it('gives deterministic unit vectors of the configured length', async () => {
    const [first, second, again] = await new HashingEmbeddings({ dimensions: 64 }).embed([
      'The quick brown fox',
      'Something else entirely',
      'The quick brown fox',
    ]);
    expect(first).toHaveLength(64);
    expect(cosineSimilarity(first!, first!)).toBeCloseTo(1, 10);
    expect(again).toEqual(first);
    expect(second).not.toEqual(first);
  });

  it('gives an all-zero vector to text without content words', () => {
    expect(embedder.embedOne('the of and').every((value) => value === 0)).toBe(true);
    expect(embedder.embedOne('')).toHaveLength(384);
  });

  it('ignores case, accents, stop words and common word endings', () => {
    expect(similarity('Café prices', 'the CAFE PRICE')).toBeCloseTo(1, 10);
    expect(similarity('storing companies', 'stored company')).toBeCloseTo(1, 10);
  });

  it('scores shared words high and unrelated texts near zero', () => {
    const base = 'sea otters sleep holding hands';
    expect(similarity(base, 'otters hold hands when they sleep')).toBeGreaterThan(0.5);
    expect(Math.abs(similarity(base, 'quarterly tax return deadline'))).toBeLessThan(0.2);
  });

  it('gives partial credit to typos through character trigrams', () => {
    expect(similarity('kubernetes deployment', 'kuberntes deploymnet')).toBeGreaterThan(0.2);
  });

  it('is lexical, not semantic: synonyms without shared words do not match', () => {
    expect(Math.abs(similarity('car', 'automobile'))).toBeLessThan(0.2);
  });

  it('honours an aborted signal', async () => {
    await expect(embedder.embed(['x'], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
