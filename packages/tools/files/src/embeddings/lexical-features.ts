/** Common English words that carry no topic; left out so that they do not make unrelated texts look alike. */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
    'herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours yourself yourselves'
  ).split(' '),
);

const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

/** Lower case, accents removed: `Café` → `cafe`. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * A light English suffix stripper, so that `otters`, `otter`; `stored`,
 * `storing`, `store`; `companies`, `company` meet. Not a real stemmer: it
 * only has to map a word's common forms to one key.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stemmed = word;
  if (stemmed.endsWith('ies') && stemmed.length > 4) stemmed = `${stemmed.slice(0, -3)}y`;
  else if (stemmed.endsWith('sses')) stemmed = stemmed.slice(0, -2);
  else if (stemmed.endsWith('s') && !/(?:ss|us|is)$/.test(stemmed)) stemmed = stemmed.slice(0, -1);
  if (stemmed.endsWith('ing') && stemmed.length >= 6) stemmed = stemmed.slice(0, -3);
  else if (stemmed.endsWith('ed') && stemmed.length >= 5) stemmed = stemmed.slice(0, -2);
  if (stemmed.endsWith('e') && stemmed.length >= 5) stemmed = stemmed.slice(0, -1);
  return stemmed;
}

/** The content words of a text, normalized and stemmed, in order. */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  for (const [word] of normalizeText(text).matchAll(WORD)) if (!STOPWORDS.has(word)) words.push(stem(word));
  return words;
}

/**
 * How much each kind of feature weighs: a shared word counts most, a shared
 * pair of neighbouring words adds phrase and order information, and shared
 * character trigrams give partial credit to typos and other word forms.
 */
const WEIGHT = { word: 1, pair: 0.6, trigram: 0.25 } as const;

/**
 * The features of a text and their weights: words, pairs of neighbouring
 * words (`b:` keys) and each word's character trigrams (`c:` keys, with `#`
 * marking the word's ends). A feature seen n times weighs 1 + ln(n) times
 * its kind's weight (sublinear: repetition counts, but less and less).
 */
export function lexicalFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const words = contentWords(text);
  for (const [i, word] of words.entries()) {
    add(`w:${word}`);
    if (i > 0) add(`b:${words[i - 1]} ${word}`);
    const marked = `#${word}#`;
    if (marked.length > 4)
      for (let at = 0; at + 3 <= marked.length; at++) add(`c:${marked.slice(at, at + 3)}`);
  }
  const features = new Map<string, number>();
  for (const [key, count] of counts) {
    const kind = key.startsWith('w:') ? WEIGHT.word : key.startsWith('b:') ? WEIGHT.pair : WEIGHT.trigram;
    features.set(key, kind * (1 + Math.log(count)));
  }
  return features;
}
