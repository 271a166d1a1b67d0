import { createHash } from 'node:crypto';
import { type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedEmbeddings,
  type EmbeddingProvider,
  embeddingCacheKey,
  HashingEmbeddings,
  MemoryEmbeddingCache,
  OpenAIEmbeddings,
} from '../src/index.js';

/** Records what reaches the wrapped provider. */
class CountingProvider implements EmbeddingProvider {
  readonly id = 'counting:test:4';
  readonly dimensions = 4;
  readonly calls: string[][] = [];
  async embed(texts: string[]): Promise<number[][]> {
    this.calls.push(texts);
    return texts.map((text) => [text.length, 1, 0, 0]);
  }
}

describe('CachedEmbeddings', () => {
  it('keys a vector by sha256 of the provider id, a NUL and the text', () => {
    expect(embeddingCacheKey('p', 'text')).toBe(createHash('sha256').update('p\0text').digest('hex'));
    expect(embeddingCacheKey('p', 'text')).not.toBe(embeddingCacheKey('q', 'text'));
  });

  it('embeds each distinct text once and answers repeats from the cache', async () => {
    const inner = new CountingProvider();
    const cached = new CachedEmbeddings(inner, new MemoryEmbeddingCache());
    expect(cached.id).toBe(inner.id);
    expect(cached.dimensions).toBe(4);
    const first = await cached.embed(['a', 'bb', 'a', 'ccc']);
    expect(inner.calls).toEqual([['a', 'bb', 'ccc']]);
    expect(first).toEqual([
      [1, 1, 0, 0],
      [2, 1, 0, 0],
      [1, 1, 0, 0],
      [3, 1, 0, 0],
    ]);
    const second = await cached.embed(['ccc', 'dddd', 'a']);
    expect(inner.calls).toEqual([['a', 'bb', 'ccc'], ['dddd']]);
    expect(second).toEqual([
      [3, 1, 0, 0],
      [4, 1, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('embeds the misses in batches, storing each batch as it comes', async () => {
    const inner = new CountingProvider();
    const cache = new MemoryEmbeddingCache();
    const cached = new CachedEmbeddings(inner, cache, { batchSize: 2 });
    await cached.embed(['a', 'b', 'c', 'd', 'e']);
    expect(inner.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(cache.size).toBe(5);
  });

  it('treats a cached vector of the wrong length as missing', async () => {
    const inner = new CountingProvider();
    const cache = new MemoryEmbeddingCache();
    await cache.putMany([[embeddingCacheKey(inner.id, 'a'), [1, 2]]]);
    const [vector] = await new CachedEmbeddings(inner, cache).embed(['a']);
    expect(vector).toEqual([1, 1, 0, 0]);
    expect(inner.calls).toEqual([['a']]);
  });

  it('keeps vectors of different providers apart', async () => {
    const cache = new MemoryEmbeddingCache();
    const small = new CachedEmbeddings(new HashingEmbeddings({ dimensions: 8 }), cache);
    const large = new CachedEmbeddings(new HashingEmbeddings({ dimensions: 16 }), cache);
    const [a] = await small.embed(['same text']);
    const [b] = await large.embed(['same text']);
    expect(a).toHaveLength(8);
    expect(b).toHaveLength(16);
  });
});

describe('MemoryEmbeddingCache', () => {
  it('forgets the least recently used entries beyond its bound', async () => {
    const cache = new MemoryEmbeddingCache({ maxEntries: 2 });
    await cache.putMany([
      ['a', [1]],
      ['b', [2]],
    ]);
    await cache.getMany(['a']);
    await cache.putMany([['c', [3]]]);
    expect([...(await cache.getMany(['a', 'b', 'c'])).keys()]).toEqual(['a', 'c']);
    expect(() => new MemoryEmbeddingCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('CachedEmbeddings in front of the OpenAI client', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends nothing to the server the second time', async () => {
    const client = new OpenAIEmbeddings({
      baseUrl: fake.baseURL,
      model: 'text-embedding-3-small',
      dimensions: 8,
    });
    const cached = new CachedEmbeddings(client, new MemoryEmbeddingCache());
    const texts = ['first chunk', 'second chunk', 'first chunk'];
    const first = await cached.embed(texts);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body.input).toEqual(['first chunk', 'second chunk']);
    const second = await cached.embed(texts);
    expect(second).toEqual(first);
    expect(fake.requests).toHaveLength(1);
  });
});
