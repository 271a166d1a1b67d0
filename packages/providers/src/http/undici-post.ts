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
      return {
        read: async () => {
          const next = await chunks.next();
          return next.done ? { done: true } : { done: false, value: next.value as Uint8Array };
        },
        // Reads out what is left (usually nothing: the answer ended with its last event)
        // rather than destroying the body early, which costs an error object per turn;
        // a body that goes on past the limit is destroyed.
        cancel: async () => {
          await chunks.return?.();
          await response.body.dump({ limit: DUMP_LIMIT_BYTES });
        },
      };
    },
  };
};
