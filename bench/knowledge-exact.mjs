// Exact nearest neighbours in memory, the ground truth for recall@k: a brute-force
// scan over every chunk's vector. Same answer as PostgreSQL's exact search (the
// benchmark checks that on a sample), in milliseconds rather than a second per
// query at 100k chunks in PGlite.

const normalize = (vector) => {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  return vector.map((value) => value / norm);
};

export class BruteForceIndex {
  constructor(dims) {
    this.dims = dims;
    this.keys = [];
    this.blocks = [];
  }

  get size() {
    return this.keys.length;
  }

  /** entries: [{ key, embedding }] */
  add(entries) {
    const data = new Float32Array(entries.length * this.dims);
    for (const [i, entry] of entries.entries()) data.set(normalize(entry.embedding), i * this.dims);
    this.blocks.push({ offset: this.keys.length, count: entries.length, data });
    for (const entry of entries) this.keys.push(entry.key);
  }

  /** The k nearest by cosine distance, nearest first: [{ key, distance }]. */
  nearest(embedding, k) {
    const query = normalize(embedding);
    // Hashed query vectors are sparse: only their non-zero dimensions contribute.
    const dims = [];
    const weights = [];
    for (const [i, value] of query.entries()) {
      if (value !== 0) {
        dims.push(i);
        weights.push(value);
      }
    }
    const best = [];
    let worst = Number.POSITIVE_INFINITY;
    for (const { offset, count, data } of this.blocks) {
      for (let row = 0; row < count; row++) {
        const base = row * this.dims;
        let dot = 0;
        for (let j = 0; j < dims.length; j++) dot += weights[j] * data[base + dims[j]];
        const distance = 1 - dot;
        if (best.length === k && distance >= worst) continue;
        let at = best.length;
        while (at > 0 && best[at - 1].distance > distance) at--;
        best.splice(at, 0, { index: offset + row, distance });
        if (best.length > k) best.pop();
        worst = best.length === k ? best[k - 1].distance : Number.POSITIVE_INFINITY;
      }
    }
    return best.map((hit) => ({ key: this.keys[hit.index], distance: hit.distance }));
  }
}
