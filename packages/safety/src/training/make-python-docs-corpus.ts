// Writes the committed corpus of Python's documentation (data/python-docs.jsonl.gz) from the installed
// python3.x-doc package: per half, `perHalf` 4,000-character chunks spread over the reST sources.
// node packages/safety/dist/training/make-python-docs-corpus.js [perHalf]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { installedPythonDocs, PYTHON_DOCS_CORPUS, spread } from './benign-documents.js';

const perHalf = Number(process.argv[2] ?? 150);
const lines: string[] = [];
for (const split of ['calibrate', 'check'] as const) {
  const docs = spread(installedPythonDocs(split), perHalf);
  if (docs.length === 0)
    throw new Error('no Python documentation installed (apt-get install python3.11-doc)');
  for (const doc of docs)
    lines.push(JSON.stringify({ split, source: doc.path.replace(/^.*\/_sources\//, ''), text: doc.text }));
}
const path = fileURLToPath(PYTHON_DOCS_CORPUS);
writeFileSync(path, gzipSync(`${lines.join('\n')}\n`, { level: 9 }));
console.log(`wrote ${lines.length} chunks to ${path}`);
