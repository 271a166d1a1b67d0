import { charKind, LETTER } from './char-kinds.js';
import { foldLeetWords, joinSpacedLetters } from './word-folds.js';

/**
 * Folds the disguises attackers use so that the classifier sees the words:
 * compatibility forms (NFKC: full-width, ligatures, math letters), Cyrillic
 * and Greek look-alikes, invisible characters, leetspeak inside words, and
 * letters spaced apart ("i g n o r e"). Lower-cases the result.
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ь: 'b',
  ԁ: 'd',
  ɡ: 'g',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
};
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '€': 'e',
  '+': 't',
};
const INVISIBLE =
  /\u034f|[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u{e0000}-\u{e007f}]|\p{Variation_Selector}/gu;
const HOMOGLYPH = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');
export function normalizeText(text: string): string {
  const folded = text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    // Chat-template tokens (<|im_start|>) keep their shape; their bars are not leetspeak.
    .replace(/<\|/g, '<')
    .replace(/\|>/g, '>')
    .replace(HOMOGLYPH, (char) => HOMOGLYPHS[char] ?? char);
  // Leetspeak inside words ("1gn0r3"), then letters spaced apart ("i g n o r e").
  return joinSpacedLetters(
    foldLeetWords(folded, (word) => (/^\d+$/.test(word) ? word : foldLeet(word))),
    (run) => run.replace(/[ .\-_]/g, ''),
  );
}

function foldLeet(word: string): string {
  // Words that are mostly digits (r2d2, 4k, 1080p) stay as they are.
  let letters = 0;
  for (const char of word) if ((charKind(char.codePointAt(0) as number) & LETTER) !== 0) letters++;
  if (letters < word.length / 2) return word;
  // A trailing `!` is punctuation, not an `i`.
  let head = word.length;
  while (head > 0 && word[head - 1] === '!') head--;
  let out = '';
  for (const char of word.slice(0, head)) out += LEET[char] ?? char;
  return out + word.slice(head);
}
