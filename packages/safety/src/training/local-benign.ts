import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { hash } from '../classifier/features.js';
import type { Row } from './dataset.js';
import { listDir, walkFiles } from './walk-files.js';

/**
 * Benign text of the kinds an agent's tools return (documentation, READMEs,
 * change logs, licences, source code with its docstrings), taken from this
 * machine: Debian's `/usr/share/doc` and Python's standard library. Nothing
 * is downloaded. The training files hold none of it, so without it the
 * classifier spends its false-positive budget on ordinary technical text
 * (tables, code answers, "you must" in a README).
 *
 * Debian packages are split in two by a hash of their name: the `train` half
 * is used as training negatives, the `check` half only to measure how often
 * the model blocks benign text it has not seen (with this repository's own
 * TypeScript sources, which are never trained on). Python's library is
 * training only, and its documentation (`html/_sources`) check only. Each file gives at most `perFile` chunks of 600 to 2,400
 * characters cut at line ends, in a fixed order, so that the rows are the
 * same on every run on the same machine.
 */
export function localBenignRows(
  split: 'train' | 'check',
  options: { docs?: number; code?: number; perFile?: number } = {},
): Row[] {
  const perFile = options.perFile ?? 2;
  const docs: Row[] = [];
  for (const pkg of listDir('/usr/share/doc')) {
    const half = hash(pkg, 1024) % 2 === 0 ? 'train' : 'check';
    for (const path of localFiles(join('/usr/share/doc', pkg), DOC_NAME)) {
      // Python's own documentation (python3.11-doc) is only ever checked: the library's code is trained on.
      const where = PYTHON_DOCS.test(path) ? 'check' : half;
      if (where === split)
        docs.push(
          ...chunks(
            readText(path),
            perFile,
            PYTHON_DOCS.test(path) ? 'local/python-docs' : 'local/debian-docs',
          ),
        );
    }
  }
  const code: Row[] = [];
  if (split === 'train')
    for (const dir of listDir('/usr/lib')
      .filter((d) => /^python3\.\d+$/.test(d))
      .slice(-1))
      for (const path of localFiles(join('/usr/lib', dir), /\.py$/, [
        'site-packages',
        'dist-packages',
        'test',
        'tests',
        'idlelib',
      ]))
        code.push(...chunks(readText(path), perFile, 'local/python-stdlib'));
  return [...spread(docs, options.docs ?? 1200), ...spread(code, options.code ?? 800)];
}

const PYTHON_DOCS = /^\/usr\/share\/doc\/python3[^/]*\/html\//;

/** Documentation files: Markdown and text, READMEs, NEWS, upstream change logs, licences (gzipped or not). */
const DOC_NAME = /(?:\.(?:md|txt|rst)|^(?:README|NEWS|changelog|copyright)[^/]*)(?:\.gz)?$/i;

function readText(path: string): string {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return text.slice(0, 60_000).replace(/\r\n?/g, '\n');
}

/** Up to `count` chunks of 600 to 2,400 characters from the text, cut at line ends, spread over it. */
function chunks(text: string, count: number, repo: string): Row[] {
  const out: Row[] = [];
  if (text.trim().length < 300 || text.includes('\u0000')) return out;
  const step = Math.max(1, Math.floor(text.length / count));
  for (let k = 0; k < count; k++) {
    const length = 600 + (hash(`${repo}${text.length}${k}`, 2048) % 1800);
    let start = k * step;
    if (start > 0) start = text.indexOf('\n', start) + 1;
    if (start <= 0 && k > 0) break;
    let end = Math.min(text.length, start + length);
    const lineEnd = text.lastIndexOf('\n', end);
    if (end < text.length && lineEnd > start + 300) end = lineEnd;
    const piece = text.slice(start, end).trim();
    if (piece.length >= 300) out.push({ text: piece, label: 0, repo });
  }
  return out;
}

/** Every n-th row so that `limit` rows cover the whole list (packages from a to z, not only a). */
function spread(rows: Row[], limit: number): Row[] {
  if (rows.length <= limit) return rows;
  const step = rows.length / limit;
  return Array.from({ length: limit }, (_, i) => rows[Math.floor(i * step)] as Row);
}

/** Regular files under 2 MB; `__pycache__` and `skip` passed over. */
function localFiles(dir: string, name: RegExp, skip: readonly string[] = []): string[] {
  return walkFiles(dir, name, { skip: ['__pycache__', ...skip], maxBytes: 2_000_000, regularOnly: true });
}
