import { Readable } from 'node:stream';
import type { GetOptions, ObjectBody, ObjectStore, PutOptions } from '../../src/index.js';

/** Passes everything to `inner`, counting the bytes that readers have pulled out of its get streams. */
export class ReadCountingStore implements ObjectStore {
  bytesRead = 0;

  constructor(readonly inner: ObjectStore) {}

  put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ size: number }> {
    return this.inner.put(key, body, options);
  }

  async get(key: string, options?: GetOptions): Promise<Readable> {
    const stream = await this.inner.get(key, options);
    const self = this;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        self.bytesRead += chunk.length;
        yield chunk;
      }
    }
    return Readable.from(counted(), { objectMode: false, highWaterMark: 1 });
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  list(prefix: string): AsyncIterable<string> {
    return this.inner.list(prefix);
  }
}
