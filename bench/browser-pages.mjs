// The browser benchmark's page set: real documentation pages from Debian's
// python3-doc and postgresql-doc-15 packages, plus heavy pages made here
// (a large table, a long article, a page full of outside resources the
// network policy blocks, one whose image never answers). Each page comes with
// its main text, computed independently of Readability: the Python docs'
// <div class="body" role="main">, the PostgreSQL docs' body without the
// navigation header and footer, the made pages' text as generated.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { JSDOM } from 'jsdom';

const PYTHON = '/usr/share/doc/python3/html';
const POSTGRES = '/usr/share/doc/postgresql-doc-15/html';

/** The doc roots served at /python/ and /postgres/; the bench stops when they are missing. */
export function docRoots() {
  const missing = [
    [PYTHON, 'python3-doc'],
    [POSTGRES, 'postgresql-doc-15'],
  ].filter(([dir]) => !existsSync(dir));
  if (missing.length > 0) {
    const names = missing.map(([, name]) => name).join(' ');
    throw new Error(
      `the browser benchmark reads real pages from Debian's documentation packages, and ${names} ` +
        `is not installed: apt-get install -y --no-install-recommends ${names}`,
    );
  }
  return { '/python/': PYTHON, '/postgres/': POSTGRES };
}

/** Every step-th file of a directory's HTML pages sorted by size, so small and large pages both count. */
function spread(dir, count) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.html'))
    .map((name) => ({ name, size: statSync(join(dir, name)).size }))
    .sort((a, b) => a.size - b.size || a.name.localeCompare(b.name));
  const step = files.length / count;
  return Array.from({ length: count }, (_, i) => files[Math.floor(i * step + step / 2)].name);
}

function mainText(html, select) {
  const dom = new JSDOM(html);
  try {
    return select(dom.window.document)?.textContent ?? '';
  } finally {
    dom.window.close();
  }
}

const WORDS = 'tide harbour lantern quarry meadow ledger cobalt falcon orchard glacier thimble rampart'.split(
  ' ',
);
const word = (i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length] + String(i % 97);

function made(title, body, head = '') {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>
<header><nav>${Array.from({ length: 40 }, (_, i) => `<a href="/nav/${i}">Section ${i}</a>`).join(' ')}</nav></header>
<main><article><h1>${title}</h1>${body}</article></main>
<aside>${Array.from({ length: 20 }, (_, i) => `<a href="/related/${i}">Related story ${i}</a>`).join('<br>')}</aside>
<footer>Copyright, imprint, cookie settings, newsletter sign-up.</footer></body></html>`;
}

function paragraphs(count, from = 0) {
  return Array.from(
    { length: count },
    (_, p) => `<p>${Array.from({ length: 60 }, (_, w) => word(from + p * 60 + w)).join(' ')}.</p>`,
  ).join('\n');
}

/** Heavy pages of our own making, with their main text. */
function madePages() {
  const pages = [];
  for (const rows of [1000, 3000]) {
    const table = `<table><caption>Measurements</caption><tr><th>Station</th><th>Depth</th><th>Salinity</th><th>Note</th></tr>${Array.from(
      { length: rows },
      (_, r) =>
        `<tr><td>${word(r)}</td><td>${r * 3}</td><td>${(r % 40) + 1}</td><td>${word(r + 5)} ${word(r + 9)}</td></tr>`,
    ).join('')}</table>`;
    const body = `${paragraphs(3)}${table}`;
    pages.push({ path: `/made/table-${rows}.html`, html: made(`Table of ${rows} rows`, body) });
  }
  for (const count of [400, 1500]) {
    pages.push({
      path: `/made/article-${count}.html`,
      html: made(`Long article ${count}`, paragraphs(count, count)),
    });
  }
  for (const count of [100, 300]) {
    const outside = Array.from({ length: count }, (_, i) => {
      const host = `cdn${i % 7}.outside.test`;
      return i % 3 === 0
        ? `<script src="https://${host}/lib-${i}.js"></script>`
        : i % 3 === 1
          ? `<link rel="stylesheet" href="https://${host}/style-${i}.css">`
          : `<img src="https://${host}/photo-${i}.jpg" alt="">`;
    }).join('\n');
    const body = `${paragraphs(40, count)}<div>${outside}</div>`;
    pages.push({
      path: `/made/outside-${count}.html`,
      html: made(`Page with ${count} outside resources`, body),
    });
  }
  pages.push({
    path: '/made/hanging-image.html',
    html: made('A page whose image never answers', `${paragraphs(30, 7)}<img src="/never" alt="">`),
  });
  pages.push({
    path: '/made/script-rendered.html',
    html: made(
      'Rendered by script',
      `<div id="app"></div><script>const words = ${JSON.stringify(Array.from({ length: 1200 }, (_, i) => word(i + 11)))};
for (let p = 0; p < 20; p++) { const e = document.createElement('p'); e.textContent = words.slice(p * 60, p * 60 + 60).join(' ') + '.'; document.getElementById('app').append(e); }</script>`,
    ),
    reference: Array.from({ length: 1200 }, (_, i) => word(i + 11)).join(' '),
  });
  for (const page of pages) {
    page.reference ??= mainText(page.html, (doc) => {
      doc.querySelector('h1')?.remove();
      return doc.querySelector('article');
    });
  }
  return pages;
}

/** The page set: { path, reference } (and html for the made pages, served from memory). */
export function benchPages({ python = 32, postgres = 20 } = {}) {
  const roots = docRoots();
  const pages = [];
  for (const name of spread(join(roots['/python/'], 'library'), python)) {
    const html = readFileSync(join(roots['/python/'], 'library', name), 'utf8');
    const reference = mainText(html, (doc) => doc.querySelector('div.body[role=main]'));
    pages.push({ path: `/python/library/${name}`, reference });
  }
  for (const name of spread(roots['/postgres/'], postgres)) {
    const html = readFileSync(join(roots['/postgres/'], name), 'utf8');
    const reference = mainText(html, (doc) => {
      for (const nav of doc.querySelectorAll('.navheader, .navfooter')) nav.remove();
      return doc.body;
    });
    pages.push({ path: `/postgres/${name}`, reference });
  }
  return [...pages, ...madePages()];
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves the doc roots and the made pages from 127.0.0.1 (a free port); /never never answers. */
export function serve(pages) {
  const roots = docRoots();
  const made = new Map(pages.filter((page) => page.html).map((page) => [page.path, page.html]));
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/never') return; // never answers
    if (made.has(path)) {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(made.get(path));
      return;
    }
    const prefix = Object.keys(roots).find((root) => path.startsWith(root));
    const file = prefix && normalize(join(roots[prefix], path.slice(prefix.length)));
    try {
      if (!file?.startsWith(roots[prefix])) throw new Error('outside');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
