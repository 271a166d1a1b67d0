import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';
import { newRouter } from './router.js';

/** Where `npm start` builds the web UI (apps/web/dist), from this file in src/ or dist/. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../../apps/web/dist', import.meta.url));

/** The client's routes (apps/web/src/router.ts): each answers the app, whose script reads the path. */
const CLIENT_ROUTES = ['/', '/sign-in', '/c/:id', '/console', '/console/*'];

/**
 * The page may run only its own files: no inline script or style, no other
 * origin. Images also from data: and blob: URLs (files the user opens).
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>agentd</title></head>
<body><h1>The web UI is not built</h1>
<p>Build it with <code>npm start</code> (it builds the UI before serving) or <code>npm run build -w apps/web</code>,
or point <code>AGENTD_WEB_DIR</code> at a build. The API works without it; its reference is at <a href="/docs">/docs</a>.</p>
</body></html>`;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves a built single-page app from `dir`: index.html (never cached, so a
 * new build is picked up at once) for each client route, and the
 * content-hashed files under /assets/ (cached for a year). Nothing else: an
 * unknown path, /v1 above all, keeps its JSON 404.
 */
export function webUiRoutes(dir: string) {
  const router = newRouter();
  const page = async (c: Context<AppEnv>) => {
    const html = await readFile(join(dir, 'index.html'), 'utf8').catch(() => null);
    const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-cache', 'content-security-policy': WEB_CSP };
    if (html === null) return c.html(NOT_BUILT, 404, headers);
    return c.html(html, 200, headers);
  };
  for (const path of CLIENT_ROUTES) router.get(path, page);
  router.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    // Vite writes assets flat, named name-hash.ext: anything else (a dot-dot, a slash) is not one.
    if (!/^[\w-]+(\.[\w-]+)*\.[a-z0-9]+$/i.test(file)) return c.notFound();
    const path = join(dir, 'assets', file);
    const found = await stat(path).catch(() => null);
    if (!found?.isFile()) return c.notFound();
    const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    return c.body(stream, 200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(found.size),
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });
  return router;
}
