import { describe, expect, it } from 'vitest';
import { chunkText, cosineSimilarity, HashingEmbeddings } from '../src/index.js';

/** Ten short documents on distinct topics. */
const CORPUS: Record<string, string> = {
  otters:
    'Sea otters live along the coasts of the North Pacific. They float on their backs and often hold hands while ' +
    'they sleep so that they do not drift apart. Otters use stones as tools to crack open shellfish and sea urchins.',
  taxes:
    'The deadline for filing your annual income tax return is the fifteenth of April. Self-employed people must ' +
    'also pay estimated taxes every quarter. Keep receipts for deductible expenses such as a home office.',
  sourdough:
    'A sourdough starter is a culture of wild yeast and lactic acid bacteria. Feed the starter with flour and water ' +
    'every day. The bread dough needs a long, slow fermentation before it is shaped and baked in a hot oven.',
  kubernetes:
    'Kubernetes schedules containers onto the nodes of a cluster. A deployment keeps the requested number of pod ' +
    'replicas running and rolls out new versions gradually. Services give pods a stable network address.',
  marathon:
    'Training for a marathon takes about sixteen weeks. Increase your weekly mileage slowly, include one long run ' +
    'every week, and taper for the last two weeks before the race to let your legs recover.',
  volcano:
    'A volcano erupts when magma from the mantle rises through the crust. Basalt lava flows are runny, while ' +
    'explosive eruptions throw ash and pumice high into the atmosphere.',
  chess:
    'In chess, the opening is the first phase of the game. Control the centre with pawns, develop knights and ' +
    'bishops early, and castle to protect the king before launching an attack.',
  photosynthesis:
    'Photosynthesis lets plants turn sunlight, water and carbon dioxide into glucose and oxygen. It takes place in ' +
    'the chloroplasts, where chlorophyll absorbs mostly red and blue light.',
  mortgage:
    'A fixed-rate mortgage keeps the same interest rate for the whole loan term, so monthly payments stay ' +
    'predictable. Refinancing can lower payments when market interest rates fall.',
  espresso:
    'Espresso is brewed by forcing hot water through finely ground coffee at high pressure. A good shot takes about ' +
    'twenty-five seconds and has a layer of golden crema on top.',
};

/** Queries that share some words (in other forms, sometimes) with the document they target. */
const QUERIES: Array<[query: string, expected: string]> = [
  ['why do otters hold hands when sleeping', 'otters'],
  ['when is the income tax filing deadline', 'taxes'],
  ['how often should I feed my sourdough starter', 'sourdough'],
  ['kubernetes deployment replicas and pods', 'kubernetes'],
  ['how many weeks of marathon training before the race', 'marathon'],
  ['what happens when a volcano erupts lava', 'volcano'],
  ['chess opening: develop the knights and castle', 'chess'],
  ['fixed rate mortgage interest and refinancing', 'mortgage'],
  ['how long does an espresso shot take', 'espresso'],
];

describe('search quality of HashingEmbeddings (lexical retrieval)', () => {
  it('ranks the document that shares words with each query in the top 3', async () => {
    const embedder = new HashingEmbeddings();
    const chunks = Object.entries(CORPUS).flatMap(([document, text]) =>
      chunkText(text, { maxTokens: 30, overlapTokens: 5 }).map((chunk) => ({ document, text: chunk.text })),
    );
    expect(chunks.length).toBeGreaterThan(Object.keys(CORPUS).length);
    const vectors = await embedder.embed(chunks.map((chunk) => chunk.text));
    const queryVectors = await embedder.embed(QUERIES.map(([query]) => query));
    const ranks: Record<string, number> = {};
    for (const [i, [query, expected]] of QUERIES.entries()) {
      // A document scores as its best chunk.
      const best = new Map<string, number>();
      for (const [j, chunk] of chunks.entries()) {
        const score = cosineSimilarity(queryVectors[i]!, vectors[j]!);
        best.set(chunk.document, Math.max(best.get(chunk.document) ?? -1, score));
      }
      const ranking = [...best].sort((a, b) => b[1] - a[1]).map(([document]) => document);
      ranks[query] = ranking.indexOf(expected) + 1;
    }
    for (const [query] of QUERIES) expect(ranks[query], query).toBeLessThanOrEqual(3);
    // Lexical matching of queries this close should usually rank the target first.
    expect(Object.values(ranks).filter((rank) => rank === 1).length).toBeGreaterThanOrEqual(
      QUERIES.length - 1,
    );
  });
});
