import fc from 'fast-check';

/**
 * Strings that have broken servers: NUL (PostgreSQL refuses it in text and
 * jsonb), lone surrogates (not UTF-8), right-to-left overrides, a path
 * escape, SQL and markup, a 70,000-character string.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  '\u0000',
  `a\u0000b`,
  '\uD800',
  `x\uDC00y`,
  '\u202Etxt.exe',
  '\u2066isolate\u2069',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'x'.repeat(70_000),
  `${'y'.repeat(69_999)}\u0000`,
  '',
  ' ',
];

/**
 * Values JSON text can carry and a JavaScript value cannot be turned into
 * (JSON.stringify overflows its stack on 10,000 levels; a number past 2^53
 * loses digits). The generator places the token; the sender writes the
 * text in its place in the body.
 */
export const RAW_JSON: Readonly<Record<string, string>> = {
  __fuzz_huge_integer__: '123456789012345678901234567890',
  __fuzz_deep_array__: `${'['.repeat(10_000)}"bottom"${']'.repeat(10_000)}`,
  __fuzz_deep_object__: `${'{"a":'.repeat(10_000)}"bottom"${'}'.repeat(10_000)}`,
};

/** A body's JSON text, with each raw-JSON token replaced by its text. */
export function jsonText(value: unknown): string {
  let text = JSON.stringify(value);
  for (const [token, raw] of Object.entries(RAW_JSON)) text = text.replaceAll(`"${token}"`, raw);
  return text;
}

/** An array nested `depth` levels deep, built without recursion (shallow enough to stringify). */
function nestedArray(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Numbers beyond 2^53, and the extremes a double can be. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e-308,
  '__fuzz_huge_integer__',
];

/** An object whose own key is `__proto__` (JSON.parse makes it an own property, as a server would see it). */
export function protoObject(): Record<string, unknown> {
  return JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}');
}

/** Any one value of a different kind from a well-formed one. */
export const WRONG_TYPES: readonly unknown[] = [42, 'text', true, null, [], {}, [1, 'two'], -1];

export const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
export const hostileNumber = fc.constantFrom(...HOSTILE_NUMBERS);
export const wrongType = fc.constantFrom(...WRONG_TYPES);
export const deepValue = fc.oneof(
  fc.constant<unknown>('__fuzz_deep_array__'),
  fc.constant<unknown>('__fuzz_deep_object__'),
  fc.constant(nestedArray(64)),
);
