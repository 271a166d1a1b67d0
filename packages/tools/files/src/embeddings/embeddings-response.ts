import { EmbeddingError } from '../errors.js';

/**
 * The vectors of an OpenAI-shaped embeddings answer
 * (`{ data: [{ index, embedding }] }`), put in input order by `index`, each
 * checked to have `dimensions` numbers. Base64 vectors (little-endian
 * float32, as OpenAI sends them on request) are decoded too.
 */
export function vectorsFromResponse(
  body: unknown,
  inputs: number,
  dimensions: number,
  model: string,
): number[][] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new EmbeddingError('the embeddings answer has no `data` array');
  if (data.length !== inputs)
    throw new EmbeddingError(`the embeddings answer has ${data.length} vector(s) for ${inputs} input(s)`);
  const vectors: number[][] = new Array(inputs);
  for (const item of data as { index?: unknown; embedding?: unknown }[]) {
    const index = item?.index;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= inputs ||
      vectors[index]
    )
      throw new EmbeddingError(
        `the embeddings answer has a missing, repeated or out-of-range index (${String(index)})`,
      );
    const vector = decodeVector(item.embedding);
    if (vector.length !== dimensions)
      throw new EmbeddingError(
        `model "${model}" returned vectors of ${vector.length} dimensions, but ${dimensions} were expected: ` +
          'set `dimensions` to the length of its vectors (or one it can shorten them to)',
      );
    vectors[index] = vector;
  }
  return vectors;
}

function decodeVector(embedding: unknown): number[] {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => bytes.readFloatLE(i * 4));
  }
  if (
    Array.isArray(embedding) &&
    embedding.every((value) => typeof value === 'number' && Number.isFinite(value))
  )
    return embedding as number[];
  throw new EmbeddingError('the embeddings answer has a vector that is not a list of numbers');
}
