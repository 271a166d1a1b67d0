import { randomUUID } from 'node:crypto';
import type { EmbeddingCache } from '@agentd/spec';
import { describe, expect, it } from 'vitest';

/** One cache for the suite, over storage the suite may share between its cases. */
export interface EmbeddingCacheSubject {
  cache: EmbeddingCache;
  /** Another tenant's cache over the same storage, when the implementation keeps tenants apart. */
  otherTenant?: EmbeddingCache;
  /** Removes keys, when the implementation can (the database cache does, for forgotten memories). */
  delete?(keys: string[]): Promise<void>;
}

/** Whole numbers and halves: exact in a float32 column as in a JavaScript number. */
const EXACT = [0, 1, -1, 0.5, -0.25, 0.125, 3.75, -1024];

/**
 * The behaviour CachedEmbeddings relies on from every EmbeddingCache, run
 * against each implementation (the in-process map; the database table on
 * PGlite and PostgreSQL): what is put comes back under its key (to float32
 * precision), missing keys are absent rather than errors, any key text is
 * kept apart from every other, a batch of a thousand keys goes in and out in
 * one call, putting a key again is harmless, and, where the implementation
 * has them, tenants do not see each other's vectors and deleted keys are gone.
 */
export function describeEmbeddingCacheContract(
  name: string,
  make: () => EmbeddingCacheSubject | Promise<EmbeddingCacheSubject>,
): void {
  describe(`EmbeddingCache contract: ${name}`, () => {
    const key = (label: string) => `${label}:${randomUUID()}`;

    it('gives back what was put, under its key, and leaves missing keys out', async () => {
      const { cache } = await make();
      const [a, b, missing] = [key('a'), key('b'), key('missing')];
      await cache.putMany([
        [a, EXACT],
        [b, [...EXACT].reverse()],
      ]);
      const found = await cache.getMany([missing, b, a]);
      expect([...found.keys()].sort()).toEqual([a, b].sort());
      expect(found.get(a)).toEqual(EXACT);
      expect(found.get(b)).toEqual([...EXACT].reverse());
      expect(found.has(missing)).toBe(false);
      for (const value of found.get(a)!) expect(typeof value).toBe('number');
    });

    it('keeps arbitrary values to float32 precision', async () => {
      const { cache } = await make();
      const k = key('precise');
      const vector = Array.from({ length: 1536 }, (_, i) => Math.sin(i + 0.1) / 3);
      await cache.putMany([[k, vector]]);
      const back = (await cache.getMany([k])).get(k)!;
      expect(back).toHaveLength(vector.length);
      for (const [i, value] of back.entries()) expect(value).toBeCloseTo(Math.fround(vector[i]!), 6);
    });

    it('answers an empty list with an empty map and stores nothing for no entries', async () => {
      const { cache } = await make();
      await cache.putMany([]);
      expect((await cache.getMany([])).size).toBe(0);
    });

    it('keeps keys with quotes, backslashes, commas, braces and non-ASCII text apart', async () => {
      const { cache } = await make();
      const id = randomUUID();
      const keys = ['"q"', "'s'", 'back\\slash', 'a,b', '{x}', 'NULL', ' ', 'ü日本', 'a\\"b'].map(
        (odd) => `${odd}:${id}`,
      );
      await cache.putMany(keys.map((k, i) => [k, [i + 1, -(i + 1)]]));
      const found = await cache.getMany([...keys, `a:${id}`]);
      expect(found.size).toBe(keys.length);
      for (const [i, k] of keys.entries()) expect(found.get(k)).toEqual([i + 1, -(i + 1)]);
    });

    it('takes a batch of a thousand keys in one call and gives all of them back', async () => {
      const { cache } = await make();
      const entries = Array.from({ length: 1000 }, (_, i): [string, number[]] => [
        key(`batch${i}`),
        [i, 0.5],
      ]);
      await cache.putMany(entries);
      const found = await cache.getMany(entries.map(([k]) => k));
      expect(found.size).toBe(1000);
      for (const [k, vector] of entries) expect(found.get(k)).toEqual(vector);
    });

    it('takes the same key again without error (a key always names one vector)', async () => {
      const { cache } = await make();
      const k = key('again');
      await cache.putMany([[k, [1, 2]]]);
      await cache.putMany([
        [k, [1, 2]],
        [key('other'), [3, 4]],
      ]);
      expect((await cache.getMany([k])).get(k)).toEqual([1, 2]);
    });

    it("does not show one tenant's vectors to another", async (context) => {
      const { cache, otherTenant } = await make();
      if (!otherTenant) return context.skip('this implementation has no tenants');
      const [mine, theirs] = [key('mine'), key('theirs')];
      await cache.putMany([[mine, [1]]]);
      await otherTenant.putMany([[theirs, [2]]]);
      expect((await otherTenant.getMany([mine])).size).toBe(0);
      expect((await cache.getMany([theirs])).size).toBe(0);
      // The same key in both tenants holds each tenant's own vector.
      const shared = key('shared');
      await cache.putMany([[shared, [5]]]);
      await otherTenant.putMany([[shared, [6]]]);
      expect((await cache.getMany([shared])).get(shared)).toEqual([5]);
      expect((await otherTenant.getMany([shared])).get(shared)).toEqual([6]);
    });

    it('forgets deleted keys and keeps the rest', async (context) => {
      const subject = await make();
      if (!subject.delete) return context.skip('this implementation does not delete');
      const [gone, kept] = [key('gone'), key('kept')];
      await subject.cache.putMany([
        [gone, [1]],
        [kept, [2]],
      ]);
      await subject.delete([gone]);
      await subject.delete([]);
      const found = await subject.cache.getMany([gone, kept]);
      expect([...found.keys()]).toEqual([kept]);
    });
  });
}
