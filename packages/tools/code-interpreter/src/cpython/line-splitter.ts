/**
 * Splits a byte stream into lines, refusing any line longer than `maxBytes`
 * (the sandbox writes the stream: a line that never ends must not grow forever).
 */
export class LineSplitter {
  readonly #maxBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The complete lines in `chunk`, without their newline. Throws when a line exceeds the cap. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, start)) {
      this.#append(chunk.subarray(start, at));
      lines.push(Buffer.concat(this.#pending).toString('utf8'));
      this.#pending = [];
      this.#pendingBytes = 0;
      start = at + 1;
    }
    this.#append(chunk.subarray(start));
    return lines;
  }

  #append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#pendingBytes += piece.length;
    if (this.#pendingBytes > this.#maxBytes)
      throw new RangeError(`a protocol line exceeded ${this.#maxBytes} bytes`);
    this.#pending.push(piece);
  }
}
