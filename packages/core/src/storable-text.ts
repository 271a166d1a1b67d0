/**
 * Text that PostgreSQL (and PGlite) can store. Both refuse U+0000 in `text`,
 * `json` and `jsonb`, and JSON escapes of unpaired UTF-16 surrogates; any tool,
 * page or user can produce them. Each such code point becomes U+FFFD, the
 * replacement character, so that a reader (the model, a client) still sees
 * that something was there. Everything else passes through unchanged.
 */

export const REPLACEMENT_CHARACTER = '\uFFFD';

/** Whether `text` holds a code point no database column accepts. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** `text` with every NUL and unpaired surrogate replaced by U+FFFD; `replaced` counts them. */
export function toStorableText(text: string): { text: string; replaced: number } {
  if (isStorableText(text)) return { text, replaced: 0 };
  let replaced = 0;
  const cleaned = text.replaceAll(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the code points replaced
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    () => {
      replaced += 1;
      return REPLACEMENT_CHARACTER;
    },
  );
  return { text: cleaned, replaced };
}

/**
 * A JSON-shaped value whose strings (keys included) are all storable. Returns
 * the very same value when nothing needed a change, so the common case costs
 * one scan and no copy.
 */
export function toStorableValue<T>(value: T): T {
  return clean(value, 0) as T;
}

const MAX_DEPTH = 512;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return isStorableText(value) ? value : toStorableText(value).text;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const item = value[i];
      const cleaned = clean(item, depth + 1);
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const cleanKey = isStorableText(key) ? key : toStorableText(key).text;
    const cleaned = clean(item, depth + 1);
    if (cleaned !== item || cleanKey !== key) {
      copy ??= { ...value };
      if (cleanKey !== key) delete copy[key];
      Object.defineProperty(copy, cleanKey, {
        value: cleaned,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return copy ?? value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Escapes that JSON.stringify writes for the code points above: `\u0000` and
 * an unpaired `\uD800`-`\uDFFF`. A match only means "parse and look": an
 * escaped backslash before it, or a surrogate pair, parses to storable text.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89ab][0-9a-f]{2}|d[c-f][0-9a-f]{2})/i;

/**
 * A string that may be serialised JSON made storable: when it holds an
 * escape the database refuses and it parses as JSON, the parsed value is
 * cleaned and serialised again. Text that is not JSON is cleaned as text
 * (a literal backslash sequence in prose is left as it is).
 */
export function toStorableParam(text: string): string {
  const plain = isStorableText(text) ? text : toStorableText(text).text;
  if (!UNSTORABLE_ESCAPE.test(plain)) return plain;
  const first = plain.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return plain;
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    return plain;
  }
  const cleaned = toStorableValue(parsed);
  return cleaned === parsed ? plain : JSON.stringify(cleaned);
}
