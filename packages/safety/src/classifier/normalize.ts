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
/** A word of letters with leet characters inside it (not numbers, not prices). */
const LEET_WORD =
  /(?<![\p{L}\p{N}])(?=[\p{L}\p{N}@$!|€+]*\p{L})(?=[\p{L}\p{N}@$!|€+]*[0-9@$!|€+])[\p{L}\p{N}@$!|€+]{3,}/gu;
/** Four or more single letters separated by single spaces, dots or dashes: "i g n o r e". */
const SPACED = /(?<![\p{L}\p{N}])(?:\p{L}[ .\-_]){3,}\p{L}(?![\p{L}\p{N}])/gu;

export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(INVISIBLE, '')
      .toLowerCase()
      // Chat-template tokens (<|im_start|>) keep their shape; their bars are not leetspeak.
      .replace(/<\|/g, '<')
      .replace(/\|>/g, '>')
      .replace(HOMOGLYPH, (char) => HOMOGLYPHS[char] ?? char)
      .replace(LEET_WORD, (word) => (/^\d+$/.test(word) ? word : foldLeet(word)))
      .replace(SPACED, (run) => run.replace(/[ .\-_]/g, ''))
  );
}

function foldLeet(word: string): string {
  // Words that are mostly digits (r2d2, 4k, 1080p) stay as they are.
  let letters = 0;
  for (const char of word) if (/\p{L}/u.test(char)) letters++;
  if (letters < word.length / 2) return word;
  // A trailing `!` is punctuation, not an `i`.
  const tail = /!+$/.exec(word)?.[0] ?? '';
  let out = '';
  for (const char of word.slice(0, word.length - tail.length)) out += LEET[char] ?? char;
  return out + tail;
}
