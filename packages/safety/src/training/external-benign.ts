import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkFiles } from './walk-files.js';

/**
 * Benign text of kinds the training files lack, from this machine: Debian's
 * package documentation (`/usr/share/doc`, Markdown and plain text) and this
 * repository's own TypeScript sources (the safety package excepted: it
 * quotes attacks). Cut into 4,000-character chunks, the size a tool result
 * or a file chunk has. Not guaranteed clean of attack phrases, but ordinary.
 */
export function externalBenignChunks(
  repoRoot: string,
  /** Chunks of each kind at most. */
  limit = 2000,
): { kind: 'docs' | 'code'; text: string }[] {
  const chunks: { kind: 'docs' | 'code'; text: string }[] = [];
  // Each kind has its own limit: documentation alone can exceed it (it did once python3-doc was installed).
  const count = { docs: 0, code: 0 };
  const add = (kind: 'docs' | 'code', path: string) => {
    const text = readFileSync(path, 'utf8').slice(0, 40_000);
    for (let i = 0; i < text.length && count[kind] < limit; i += 4000) {
      const chunk = text.slice(i, i + 4000);
      if (chunk.length >= 300) {
        chunks.push({ kind, text: chunk });
        count[kind]++;
      }
    }
  };
  for (const path of files('/usr/share/doc', /\.(md|txt)$/)) add('docs', path);
  for (const path of files(join(repoRoot, 'packages'), /\.ts$/))
    if (path.includes('/src/') && !path.includes('/safety/') && !path.includes('.test.')) add('code', path);
  return chunks;
}

function files(dir: string, name: RegExp): string[] {
  return walkFiles(dir, name, { skip: ['node_modules', 'dist'], maxBytes: 300_000 });
}
