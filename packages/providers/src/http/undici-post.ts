import { request } from 'undici';
import type { ByteReader, HttpPost } from './http-post.js';

const DUMP_LIMIT_BYTES = 64 * 1024;

/**
 * Posts with undici's `request` (its global keep-alive pool): a fraction of
 * `fetch`'s cost per request, having no WHATWG Request, Response or web
 * streams, which counts at one request per model turn.
 */
export const undiciPost: HttpPost = async (url, init) => {
  const response = await request(url, {
    method: 'POST',
    headers: init.headers,
    body: init.body,
    signal: init.signal,
  });
  return {
    status: response.statusCode,
    statusText: response.statusText,
    headers: {
      get: (name) => {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : (value ?? null);
      },
    },
    text: () => response.body.text(),
    body: (): ByteReader => {
      const chunks = response.body.iterator({ destroyOnReturn: false });
      let consumed = 0;
      return {
        read: async () => {
          const next = await chunks.next();
          if (next.done) return { done: true };
          consumed += (next.value as Uint8Array).byteLength;
          return { done: false, value: next.value as Uint8Array };
        },
        // Reads out what is left (usually nothing: the answer ended with its last event)
        // rather than destroying the body early, which costs an error object per turn and
        // the connection; a body that goes on for more than DUMP_LIMIT_BYTES is destroyed.
        // dump's limit counts every byte of the body, so it is set past what was read.
        cancel: async () => {
          await chunks.return?.();
          await response.body.dump({ limit: consumed + DUMP_LIMIT_BYTES });
        },
      };
    },
  };
};
