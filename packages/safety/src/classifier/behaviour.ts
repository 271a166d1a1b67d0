import { SIGNALS, signalCounts } from './signals.js';

/**
 * Dense features of what a window of text does, not which words it uses:
 * sentences in the imperative, text addressed to "you" or to the AI, role
 * markers, requests to override, reveal or send, links next to instructions,
 * and how much more instruction-like the window is than the text around it
 * (an instruction inside data). Computed on the normalised text (lower case,
 * disguises folded; see normalize.ts). Fixed order: BEHAVIOUR_FEATURES.
 */
export const BEHAVIOUR_FEATURES: readonly string[] = [
  ...SIGNALS.map((signal) => `signal:${signal.name}`),
  'imperative_sentences',
  'imperative_share',
  'imperative_first',
  'imperative_to_you',
  'second_person',
  'second_person_density',
  'first_person_density',
  'you_modal',
  'ai_named',
  'override_verbs',
  'reveal_verbs',
  'secret_nouns',
  'send_verbs',
  'urls',
  'url_with_imperative',
  'questions',
  'sentences',
  'mean_sentence_words',
  'newline_density',
  'digit_density',
  'code_density',
  'imperative_contrast',
  'second_person_contrast',
  'please',
];

/** Verbs that open a command to the reader. */
const IMPERATIVE = new Set(
  (
    'ignore disregard forget override bypass skip stop start begin continue write tell say print output respond reply ' +
    'answer act pretend imagine roleplay play translate summarize summarise give provide list send email forward post ' +
    'upload visit click go open navigate run execute delete remove reveal show repeat describe explain create generate ' +
    'make include add insert append replace change use do remember note follow obey comply return display leak share ' +
    'disclose recite read type enter call invoke fetch download install describe draft compose rewrite convert encode ' +
    'decode spell format put keep never always only just now please ensure confirm assume become be behave simulate ' +
    'emulate treat consider avoid refuse help find search buy transfer pay sign update set enable disable turn grant'
  ).split(' '),
);
/** Words that may stand before the verb of a command ("please, now ignore..."). */
const LEAD = new Set([
  'please',
  'now',
  'and',
  'then',
  'also',
  'first',
  'finally',
  'next',
  'so',
  'but',
  'instead',
]);
const SECOND = /\b(?:you|your|yours|yourself|you're|youre|u)\b/g;
const FIRST = /\b(?:i|me|my|mine|i'm|im|we|our|us)\b/g;
const YOU_MODAL =
  /\byou (?:must|should|will|shall|need to|have to|are to|are going to|can now|may now|are now|are no longer|no longer)\b/g;
const AI_NAMED =
  /\b(?:ai|assistant|chatbot|language model|llm|gpt|chatgpt|claude|bard|gemini|bot|model|copilot|agent)\b/g;
const OVERRIDE = /\b(?:ignore|disregard|forget|override|bypass|circumvent|overrule|supersede|cancel)\w*\b/g;
const REVEAL = /\b(?:reveal|leak|disclose|expose|divulge|dump|exfiltrat\w*|print out|spell out)\b/g;
const SECRETS =
  /\b(?:password|passwords|secret|secrets|api key|token|credentials?|system prompt|prompt|instructions|private key|ssn|credit card)\b/g;
const SEND = /\b(?:send|forward|email|upload|post|transmit|transfer)\b/g;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/g;
const WORD = /[\p{L}\p{N}']+/gu;
const CODE = /[{}();=<>[\]]/g;
const DIGIT = /\d/g;

/** The sentence-level counts a window's features and its contrast with the whole text are made of. */
interface Counts {
  sentences: number;
  imperatives: number;
  imperativeToYou: number;
  firstImperative: boolean;
  words: number;
  second: number;
}

function count(text: string, pattern: RegExp): number {
  pattern.lastIndex = 0;
  let n = 0;
  while (pattern.exec(text) !== null) n++;
  return n;
}

function sentenceCounts(text: string): Counts {
  const counts: Counts = {
    sentences: 0,
    imperatives: 0,
    imperativeToYou: 0,
    firstImperative: false,
    words: 0,
    second: 0,
  };
  for (const sentence of text.split(/[.!?;:\n]+/)) {
    const words = sentence.match(WORD);
    if (!words || words.length === 0) continue;
    counts.sentences++;
    counts.words += words.length;
    let at = 0;
    while (at < words.length - 1 && LEAD.has(words[at] as string)) at++;
    const verb = words[at] as string;
    const imperative =
      words.length >= 2 &&
      (IMPERATIVE.has(verb) || ((verb === "don't" || verb === 'do') && words[at + 1] === 'not'));
    let second = 0;
    for (const word of words) if (word === 'you' || word === 'your' || word === 'yourself') second++;
    counts.second += second;
    if (imperative) {
      counts.imperatives++;
      if (counts.sentences === 1) counts.firstImperative = true;
      if (second > 0) counts.imperativeToYou++;
    }
  }
  return counts;
}

/** Sentence counts of a whole text, to contrast each window with (see behaviourFeatures). */
export function textProfile(normalised: string): { imperativeShare: number; secondDensity: number } {
  const c = sentenceCounts(normalised);
  return {
    imperativeShare: c.sentences ? c.imperatives / c.sentences : 0,
    secondDensity: c.words ? c.second / c.words : 0,
  };
}

/** The features of one normalised window, in BEHAVIOUR_FEATURES order; `whole` is textProfile of the text it is part of. */
export function behaviourFeatures(
  normalised: string,
  whole: { imperativeShare: number; secondDensity: number },
): Float32Array {
  const out = new Float32Array(BEHAVIOUR_FEATURES.length);
  let i = 0;
  for (const c of signalCounts(normalised)) out[i++] = Math.log1p(c);
  const s = sentenceCounts(normalised);
  const words = Math.max(1, s.words);
  const sentences = Math.max(1, s.sentences);
  const chars = Math.max(1, normalised.length);
  const imperativeShare = s.imperatives / sentences;
  const secondDensity = s.second / words;
  const urls = count(normalised, URL);
  out[i++] = Math.log1p(s.imperatives);
  out[i++] = imperativeShare;
  out[i++] = s.firstImperative ? 1 : 0;
  out[i++] = Math.log1p(s.imperativeToYou);
  out[i++] = Math.log1p(count(normalised, SECOND));
  out[i++] = secondDensity;
  out[i++] = count(normalised, FIRST) / words;
  out[i++] = Math.log1p(count(normalised, YOU_MODAL));
  out[i++] = Math.log1p(count(normalised, AI_NAMED));
  out[i++] = Math.log1p(count(normalised, OVERRIDE));
  out[i++] = Math.log1p(count(normalised, REVEAL));
  out[i++] = Math.log1p(count(normalised, SECRETS));
  out[i++] = Math.log1p(count(normalised, SEND));
  out[i++] = Math.log1p(urls);
  out[i++] = urls > 0 && s.imperatives > 0 ? 1 : 0;
  out[i++] = Math.log1p(count(normalised, /\?/g));
  out[i++] = Math.log1p(s.sentences);
  out[i++] = Math.log1p(words / sentences);
  out[i++] = count(normalised, /\n/g) / chars;
  out[i++] = count(normalised, DIGIT) / chars;
  out[i++] = count(normalised, CODE) / chars;
  out[i++] = imperativeShare - whole.imperativeShare;
  out[i++] = secondDensity - whole.secondDensity;
  out[i++] = Math.log1p(count(normalised, /\bplease\b/g));
  return out;
}
