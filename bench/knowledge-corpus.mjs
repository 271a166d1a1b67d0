// A synthetic corpus for the knowledge benchmark, the same on every run (seeded).
//
// Words are made-up syllable strings; a background Zipf distribution stands
// for general language, and each of TOPICS topics has its own Zipf-weighted
// word list. A document mixes a main topic and a secondary one with
// background words and English stop words, in sentences and paragraphs, so
// that the lexical hashing embedder sees clusters (same-topic chunks share
// words) with realistic overlap between them (background words, shared
// topic words).

export const TOPICS = 500;
const VOCABULARY = 30_000;
const TOPIC_WORDS = 80;
const STOP_WORDS = 'the of and to in is that for it as with was on by are this be from or at which an'.split(
  ' ',
);
const ONSETS = 'b c d f g h j k l m n p r t v z br dr gr kl pl st tr'.split(' ');
const VOWELS = 'a e i o u ai ou'.split(' ');
// Word endings avoid what the embedder's stemmer strips (s, e, ed, ing), so each word is its own stem.
const LAST_VOWELS = 'a i o u'.split(' ');

/** mulberry32: a small, fast, seeded 32-bit generator. */
export function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples indices 0..n-1 with weight 1 / (i + 1)^s. */
function zipf(n, s) {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cumulative[i] = sum;
  }
  return (random) => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

export class Corpus {
  constructor(seed = 42) {
    this.random = rng(seed);
    const random = this.random;
    const seen = new Set();
    this.words = [];
    while (this.words.length < VOCABULARY) {
      const syllables = 1 + Math.floor(random() * 3);
      let word = '';
      for (let i = 0; i < syllables - 1; i++) word += pick(random, ONSETS) + pick(random, VOWELS);
      word += pick(random, ONSETS) + pick(random, LAST_VOWELS);
      if (seen.has(word)) continue;
      seen.add(word);
      this.words.push(word);
    }
    this.background = zipf(VOCABULARY, 1.0);
    this.topicRank = zipf(TOPIC_WORDS, 1.1);
    // Topic words come from beyond the 300 most common background words, so topics are distinct.
    this.topics = Array.from({ length: TOPICS }, () =>
      Array.from({ length: TOPIC_WORDS }, () => 300 + Math.floor(random() * (VOCABULARY - 300))),
    );
  }

  topicWord(topic) {
    return this.words[this.topics[topic][this.topicRank(this.random)]];
  }

  sentence(main, secondary) {
    const random = this.random;
    const length = 8 + Math.floor(random() * 11);
    const out = [];
    for (let i = 0; i < length; i++) {
      const roll = random();
      if (roll < 0.25) out.push(pick(random, STOP_WORDS));
      else if (roll < 0.6) out.push(this.topicWord(main));
      else if (roll < 0.7) out.push(this.topicWord(secondary));
      else out.push(this.words[this.background(random)]);
    }
    const first = out[0];
    out[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${out.join(' ')}${random() < 0.1 ? '?' : '.'}`;
  }

  /** A document of about `tokens` approximate tokens, mostly about one topic; returns its text and topics. */
  document(tokens) {
    const random = this.random;
    const main = Math.floor(random() * TOPICS);
    const secondary = Math.floor(random() * TOPICS);
    const paragraphs = [];
    let count = 0;
    while (count < tokens) {
      const sentences = [];
      const n = 3 + Math.floor(random() * 5);
      for (let i = 0; i < n && count < tokens; i++) {
        const sentence = this.sentence(main, secondary);
        count += sentence.split(' ').length + 1;
        sentences.push(sentence);
      }
      paragraphs.push(sentences.join(' '));
    }
    return { text: `${paragraphs.join('\n\n')}\n`, main, secondary };
  }

  /** A short search query: a few words of one topic with a background word or two. */
  query() {
    const random = this.random;
    const topic = Math.floor(random() * TOPICS);
    const length = 3 + Math.floor(random() * 5);
    const words = [];
    for (let i = 0; i < length; i++)
      words.push(random() < 0.8 ? this.topicWord(topic) : this.words[this.background(random)]);
    return words.join(' ');
  }
}
