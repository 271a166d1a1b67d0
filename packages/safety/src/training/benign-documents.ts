import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hash } from '../classifier/features.js';
import { listDir, walkFiles } from './walk-files.js';

/** The kinds of benign text a tool returns that the training files lack. */
export type BenignGroup = 'debian-docs' | 'python-docs' | 'repo-code';
export const BENIGN_GROUPS: readonly BenignGroup[] = ['debian-docs', 'python-docs', 'repo-code'];

export interface BenignDocument {
  group: BenignGroup;
  text: string;
}

/**
 * Benign documents of this machine in 4,000-character chunks (the size of a
 * tool result or a file passage), in two halves that never share a file:
 * `calibrate` sets the per-surface thresholds, `check` measures them. Debian's
 * package documentation (`/usr/share/doc`, halved by package), Python's
 * documentation (halved by file: the committed corpus `data/python-docs.jsonl.gz`,
 * made by make-python-docs-corpus.js, so that it does not depend on whether
 * `python3.x-doc` is installed; `source: 'installed'` reads the installed reST
 * sources instead) and this repository's TypeScript (halved by file; the
 * safety package, which quotes attacks, and tests left out). At most
 * `perGroup` chunks of each group, spread over the whole list, in a fixed
 * order. Nothing is downloaded; Debian documentation not installed is absent.
 */
export function benignDocuments(
  split: 'calibrate' | 'check',
  repoRoot: string,
  perGroup = 600,
  source: 'corpus' | 'installed' = 'corpus',
): BenignDocument[] {
  const half = (key: string) => (hash(key, 1024) % 2 === 0 ? 'calibrate' : 'check');
  const debian: string[] = [];
  const python: string[] = [];
  for (const pkg of listDir('/usr/share/doc')) {
    for (const path of walkFiles(join('/usr/share/doc', pkg), DOC_NAME, FILES)) {
      if (PYTHON_DOCS.test(path)) {
        if (source === 'installed' && half(path) === split) python.push(...chunks(readText(path)));
      } else if (half(pkg) === split) debian.push(...chunks(readText(path)));
    }
  }
  if (source === 'corpus') python.push(...pythonDocsCorpus(split));
  const code: string[] = [];
  for (const path of walkFiles(join(repoRoot, 'packages'), /\.ts$/, {
    ...FILES,
    skip: ['node_modules', 'dist'],
  }))
    if (
      path.includes('/src/') &&
      !path.includes('/safety/') &&
      !/\.test\.ts$/.test(path) &&
      half(path) === split
    )
      code.push(...chunks(readText(path)));
  const of = (group: BenignGroup, texts: string[]) =>
    spread(texts, perGroup).map((text) => ({ group, text }));
  return [...of('debian-docs', debian), ...of('python-docs', python), ...of('repo-code', code)];
}

/** The committed corpus of Python's documentation (PSF License Version 2; data/README.md). */
export const PYTHON_DOCS_CORPUS = new URL('../../data/python-docs.jsonl.gz', import.meta.url);

function pythonDocsCorpus(split: 'calibrate' | 'check'): string[] {
  if (!existsSync(PYTHON_DOCS_CORPUS)) return [];
  return gunzipSync(readFileSync(PYTHON_DOCS_CORPUS))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { split: string; text: string })
    .filter((doc) => doc.split === split)
    .map((doc) => doc.text);
}

/** Python's documentation as installed, in the two halves, as the corpus is made from. */
export function installedPythonDocs(split: 'calibrate' | 'check'): { path: string; text: string }[] {
  const half = (key: string) => (hash(key, 1024) % 2 === 0 ? 'calibrate' : 'check');
  const out: { path: string; text: string }[] = [];
  for (const pkg of listDir('/usr/share/doc'))
    for (const path of walkFiles(join('/usr/share/doc', pkg), DOC_NAME, FILES))
      if (PYTHON_DOCS.test(path) && half(path) === split)
        for (const text of chunks(readText(path))) out.push({ path, text });
  return out;
}

const FILES = { maxBytes: 2_000_000, regularOnly: true } as const;
const PYTHON_DOCS = /^\/usr\/share\/doc\/python3[^/]*\/html\//;
/** Markdown, text and reST, READMEs, NEWS, upstream change logs (gzipped or not). */
const DOC_NAME = /(?:\.(?:md|txt|rst)|^(?:README|NEWS|changelog)[^/]*)(?:\.gz)?$/i;

function readText(path: string): string {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text.slice(0, 40_000).replace(/\r\n?/g, '\n');
}

function chunks(text: string): string[] {
  if (text.includes('\u0000')) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 4000) {
    const chunk = text.slice(i, i + 4000);
    if (chunk.trim().length >= 300) out.push(chunk);
  }
  return out;
}

/** Every n-th item so that `limit` items cover the whole list (packages from a to z, not only a). */
export function spread<T>(items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)] as T);
}
