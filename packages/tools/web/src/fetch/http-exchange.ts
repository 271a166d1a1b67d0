import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Dispatcher, request } from 'undici';

export interface HttpExchangeOptions {
  dispatcher: Dispatcher;
  signal: AbortSignal;
  /** The most body bytes kept, after decompression; the rest is not read. */
  maxBytes: number;
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export interface HttpResponse {
  url: URL;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body stopped at maxBytes. */
  truncated: boolean;
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * One HTTP request, no redirects followed. The body is streamed, decompressed
 * and cut at maxBytes, so neither a huge page nor a compression bomb is held
 * in memory.
 */
export async function exchange(url: URL, options: HttpExchangeOptions): Promise<HttpResponse> {
  const response = await request(url, {
    dispatcher: options.dispatcher,
    method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
    headers: { ...options.headers, 'accept-encoding': ACCEPT_ENCODING },
    signal: options.signal,
    ...(options.body ? { body: options.body } : {}),
  });
  const encoding = headerValue(response.headers['content-encoding'])?.trim().toLowerCase();
  const decoder = createDecoder(encoding);
  const source: Readable = decoder ? response.body.pipe(decoder) : response.body;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (size + chunk.length > options.maxBytes) {
        chunks.push(chunk.subarray(0, options.maxBytes - size));
        size = options.maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    if (truncated || !response.body.readableEnded) response.body.destroy();
    decoder?.destroy();
  }
  const headers = { ...response.headers };
  if (decoder) {
    delete headers['content-encoding'];
    delete headers['content-length'];
  }
  return { url, status: response.statusCode, headers, body: Buffer.concat(chunks, size), truncated };
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function createDecoder(encoding: string | undefined) {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}
