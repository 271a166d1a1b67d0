import { describe, expect, it } from 'vitest';
import { isStorableText, toStorableParam, toStorableText, toStorableValue } from '../src/storable-text.js';

describe('storable text', () => {
  it('replaces NUL and unpaired surrogates with U+FFFD and counts them; keeps pairs and everything else', () => {
    expect(toStorableText('a\u0000\u0000b')).toEqual({ text: 'a\uFFFD\uFFFDb', replaced: 2 });
    expect(toStorableText('x\uD800y\uDC00z\uDBFF')).toEqual({ text: 'x\uFFFDy\uFFFDz\uFFFD', replaced: 3 });
    const fine = 'emoji 👋 \u202Eright-to-left\t\n\\u0000';
    expect(toStorableText(fine)).toEqual({ text: fine, replaced: 0 });
    expect(isStorableText(fine)).toBe(true);
    expect(isStorableText('\u0000')).toBe(false);
  });

  it('cleans strings and keys of a value deeply, and returns the same value when nothing changes', () => {
    const clean = { a: ['x', { b: 1, c: null }], d: 'ok' };
    expect(toStorableValue(clean)).toBe(clean);
    const dirty = { a: ['x\u0000', { b: 1 }], 'k\uD800': 'v', keep: clean };
    const cleaned = toStorableValue(dirty);
    expect(cleaned).toEqual({ a: ['x\uFFFD', { b: 1 }], 'k\uFFFD': 'v', keep: clean });
    expect(cleaned.keep).toBe(clean);
    expect(dirty.a[0]).toBe('x\u0000');
  });

  it('keeps a __proto__ key an own property and never touches the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "\\u0000"}}') as Record<string, unknown>;
    const cleaned = toStorableValue(parsed);
    expect(Object.getOwnPropertyNames(cleaned)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cleans the escapes inside serialised JSON, but leaves an escaped backslash and prose alone', () => {
    expect(toStorableParam(JSON.stringify({ a: 'x\u0000' }))).toBe('{"a":"x\uFFFD"}');
    expect(toStorableParam(JSON.stringify(['\uD800']))).toBe('["\uFFFD"]');
    const escapedBackslash = JSON.stringify({ a: '\\u0000' });
    expect(toStorableParam(escapedBackslash)).toBe(escapedBackslash);
    expect(toStorableParam('write \\u0000 to end a C string')).toBe('write \\u0000 to end a C string');
    expect(toStorableParam('{not json \\u0000')).toBe('{not json \\u0000');
    const pair = JSON.stringify({ a: '👋' }).replace('👋', '\\ud83d\\udc4b');
    expect(toStorableParam(pair)).toBe(pair);
  });
});
