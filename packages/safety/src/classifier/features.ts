import { normalizeText } from './normalize.js';
import { SIGNALS, signalCounts } from './signals.js';

/** A sparse feature vector: parallel arrays of hashed indices and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface FeatureOptions {
  /** Size of the hashed feature space (a power of two). */
  dim: number;
  /** Character n-grams within words, as well as words; off by default (they learn a data set's templates). */
  charGrams: boolean;
  /** Weight of the word features against the hand-built signals (0 leaves signals only). */
  bagScale: number;
}

const WORD = /[\p{L}\p{N}]+(?:'\p{L}+)?/gu;
/** Brackets and symbols that adversarial suffixes (GCG) are made of and prose rarely is. */
/** Eight or more Morse letters in a row. */
const MORSE = /(?:[.-]{1,6}[ /]+){8,}/;
const ODD = /[{}()[\]<>`~^|\\=*;]/g;

/**
 * Features of one window of text: stemmed words and word pairs of the
 * normalised text (presence, L2-normalised), the hand-built signals
 * (log counts) and two shape signals of adversarial suffixes.
 */
export function extractFeatures(text: string, options: FeatureOptions): SparseVector {
  const normalised = normalizeText(text);
  const words = (normalised.match(WORD) ?? []).map(stem);
  const bag = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    bag.add(`u:${word}`);
    if (i + 1 < words.length) bag.add(`b:${word} ${words[i + 1]}`);
    if (options.charGrams && word.length > 4)
      for (let j = 0; j + 4 <= word.length; j++) bag.add(`c:${word.slice(j, j + 4)}`);
  }
  const entries = new Map<number, number>();
  const norm = bag.size > 0 ? options.bagScale / Math.sqrt(bag.size) : 0;
  if (norm > 0) for (const key of bag) add(entries, hash(key, options.dim), norm);
  const counts = signalCounts(normalised);
  for (let i = 0; i < SIGNALS.length; i++) {
    const count = counts[i] as number;
    if (count > 0) add(entries, hash(`s:${SIGNALS[i]?.name}`, options.dim), Math.log1p(count));
  }
  // The same signals under ROT13, the commonest letter cipher: a hit there is an instruction in disguise.
  const rotated = signalCounts(rot13(normalised));
  for (let i = 0; i < SIGNALS.length; i++)
    if ((rotated[i] as number) > (counts[i] as number)) add(entries, hash('s:rot13_signal', options.dim), 1);
  if (MORSE.test(text)) add(entries, hash('s:morse', options.dim), 1);
  // Adversarial suffixes: symbols crowd the end of a text that is prose before it (code and tables are even throughout).
  const oddTail = density(text.slice(-80), ODD) - density(text.slice(0, -80), ODD);
  if (text.length > 100 && oddTail > 0)
    add(entries, hash('s:odd_tail', options.dim), Math.min(1, oddTail * 10));
  const odd = density(text, ODD);
  if (odd > 0) add(entries, hash('s:odd_symbols', options.dim), Math.min(1, odd * 20));
  const shouty = (text.match(/\b[A-Z]{4,}\b/g)?.length ?? 0) / Math.max(1, words.length);
  if (shouty > 0) add(entries, hash('s:shouting', options.dim), Math.min(1, shouty * 5));
  add(entries, hash('s:bias', options.dim), 1);
  return {
    indices: Int32Array.from(entries.keys()),
    values: Float32Array.from(entries.values()),
  };
}

function rot13(text: string): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
}

function density(text: string, pattern: RegExp): number {
  return text.length === 0 ? 0 : (text.match(pattern)?.length ?? 0) / text.length;
}

function add(entries: Map<number, number>, index: number, value: number): void {
  entries.set(index, (entries.get(index) ?? 0) + value);
}

/** A light suffix stripper: `ignoring`, `ignored`, `ignores` all become `ignor`. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  const match = /(?:ings?|ed|es|s|ly)$/.exec(word);
  return match && word.length - match[0].length >= 3 ? word.slice(0, match.index) : word;
}

/** FNV-1a over UTF-16 code units, reduced to the feature space. */
export function hash(key: string, dim: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & (dim - 1);
}
