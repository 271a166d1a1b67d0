/**
 * A 32-bit hash of a string: FNV-1a over its UTF-16 code units, then
 * MurmurHash3's finalizer so that every output bit depends on every input
 * bit (plain FNV-1a has weak low bits, and the bucket is taken from them).
 */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Signed feature hashing: each feature adds its weight to one of `dimensions`
 * buckets, with a sign taken from another bit of its hash, so that features
 * that collide in a bucket cancel out on average instead of piling up.
 */
export function hashFeatures(features: ReadonlyMap<string, number>, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [key, weight] of features) {
    const hash = hash32(key);
    const bucket = hash % dimensions;
    vector[bucket]! += hash & 0x80000000 ? -weight : weight;
  }
  return vector;
}

/** Scales a vector to length 1; an all-zero vector stays as it is. */
export function l2Normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}
