import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DATA_FILES } from '../../src/training/data-files.js';
import { readRows } from '../../src/training/dataset.js';

/**
 * The regexes the rules phase used before its one-pass rewrites, kept as the
 * oracle the rewrites must agree with (they backtrack quadratically on
 * hostile input, so they run here on ordinary and short texts only).
 */
export const LEET_WORD =
  /(?<![\p{L}\p{N}])(?=[\p{L}\p{N}@$!|€+]*\p{L})(?=[\p{L}\p{N}@$!|€+]*[0-9@$!|€+])[\p{L}\p{N}@$!|€+]{3,}/gu;
export const SPACED = /(?<![\p{L}\p{N}])(?:\p{L}[ .\-_]){3,}\p{L}(?![\p{L}\p{N}])/gu;

/** The inputs the rewrites are checked on: every training row and every red-team case's text. */
export function corpusTexts(): string[] {
  const texts = readRows(DATA_FILES).map((row) => row.text);
  for (const file of ['own', 'from-training']) {
    const path = fileURLToPath(new URL(`../../../../redteam/cases/${file}.jsonl`, import.meta.url));
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const fields = JSON.parse(line) as Record<string, unknown>;
      for (const key of ['payload', 'html', 'code', 'arguments', 'url'])
        if (fields[key] !== undefined)
          texts.push(typeof fields[key] === 'string' ? fields[key] : JSON.stringify(fields[key]));
    }
  }
  return texts;
}

/** Short random strings over `alphabet`, the same ones on every run. */
export function fuzzTexts(alphabet: readonly string[], count: number, maxLength: number): string[] {
  let seed = 42;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = 1 + Math.floor(next() * maxLength);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * alphabet.length)];
    texts.push(text);
  }
  return texts;
}
