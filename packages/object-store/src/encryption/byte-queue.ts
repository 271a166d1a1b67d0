/** Bytes received but not yet consumed, kept as the chunks they came in until taken. */
export class ByteQueue {
  #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Removes and returns the first `count` bytes (at most `length`). */
  take(count: number): Buffer {
    const wanted = Math.min(count, this.#length);
    const parts: Buffer[] = [];
    let collected = 0;
    while (collected < wanted) {
      const chunk = this.#chunks[0]!;
      const needed = wanted - collected;
      if (chunk.length <= needed) {
        parts.push(chunk);
        collected += chunk.length;
        this.#chunks.shift();
      } else {
        parts.push(chunk.subarray(0, needed));
        collected += needed;
        this.#chunks[0] = chunk.subarray(needed);
      }
    }
    this.#length -= wanted;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, wanted);
  }
}
