import type { EmbeddingProvider } from '@agentd/spec';
import { describe, expect, it } from 'vitest';

/** One embedder for the suite, and what it costs: how many texts reached the model behind it. */
export interface EmbeddingProviderSubject {
  provider: EmbeddingProvider;
  /** Texts sent to the model so far; absent for an embedder without one (the hashing embedder). */
  textsSent?(): number;
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

const TEXTS = [
  'Sea otters hold hands while they sleep.',
  'The quarterly budget review is on Monday.',
  'Otters sleep holding hands in the sea.',
  'Café crème, naïve résumé — 日本語 text.',
];

/**
 * The behaviour every EmbeddingProvider promises file search and memory, run
 * against each implementation (the OpenAI-compatible client against the fake
 * OpenAI server, the hashing embedder, the cache over each): one vector per
 * text in order, of the stated dimensions, the same text the same vector,
 * texts that share words nearer than unrelated ones, nothing sent for no
 * texts, and an aborted call rejected with the caller's reason.
 */
export function describeEmbeddingProviderContract(name: string, make: () => EmbeddingProviderSubject): void {
  describe(`EmbeddingProvider contract: ${name}`, () => {
    it('names its vector space and its dimensions', () => {
      const { provider } = make();
      expect(provider.id).toMatch(/\S/);
      expect(Number.isInteger(provider.dimensions) && provider.dimensions > 0).toBe(true);
    });

    it('gives one vector per text, in order, of the stated dimensions, finite numbers only', async () => {
      const { provider } = make();
      const vectors = await provider.embed(TEXTS);
      expect(vectors).toHaveLength(TEXTS.length);
      for (const vector of vectors) {
        expect(vector).toHaveLength(provider.dimensions);
        expect(vector.every(Number.isFinite)).toBe(true);
      }
      // In order: each text alone gives the vector at its place.
      for (const [index, text] of TEXTS.entries()) {
        const [alone] = await provider.embed([text]);
        expect(cosine(alone!, vectors[index]!)).toBeGreaterThan(0.999);
      }
    });

    it('gives the same text the same vector, also twice in one call', async () => {
      const { provider } = make();
      const [a, b, c] = await provider.embed([TEXTS[0]!, TEXTS[1]!, TEXTS[0]!]);
      expect(c).toEqual(a);
      expect(b).not.toEqual(a);
      expect((await provider.embed([TEXTS[0]!]))[0]).toEqual(a);
    });

    it('places texts that share words nearer than unrelated ones', async () => {
      const { provider } = make();
      const [otters, budget, sameTopic] = await provider.embed(TEXTS.slice(0, 3));
      expect(cosine(otters!, sameTopic!)).toBeGreaterThan(cosine(otters!, budget!));
    });

    it('keeps the order of a call larger than one request', async () => {
      const { provider } = make();
      const many = Array.from({ length: 300 }, (_, i) => `note ${i}: ${TEXTS[i % TEXTS.length]}`);
      const vectors = await provider.embed(many);
      expect(vectors).toHaveLength(300);
      const [last] = await provider.embed([many[299]!]);
      expect(cosine(last!, vectors[299]!)).toBeGreaterThan(0.999);
    });

    it('answers no texts with no vectors, sending nothing', async () => {
      const subject = make();
      const before = subject.textsSent?.() ?? 0;
      expect(await subject.provider.embed([])).toEqual([]);
      expect(subject.textsSent?.() ?? 0).toBe(before);
    });

    it("rejects a call whose signal is aborted with the caller's reason, sending nothing", async () => {
      const subject = make();
      const before = subject.textsSent?.() ?? 0;
      const controller = new AbortController();
      const reason = new Error('the upload was cancelled');
      controller.abort(reason);
      await expect(subject.provider.embed(['anything at all'], { signal: controller.signal })).rejects.toBe(
        reason,
      );
      expect(subject.textsSent?.() ?? 0).toBe(before);
    });
  });
}
