import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { print, toInt, truth } from './values.js';

/** A template function: its arguments already evaluated, `where` for error messages. */
export type TemplateFunction = (where: string, ...args: unknown[]) => unknown;

function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${typeof value}`);
  return value;
}

/** fmt.Sprint: operands joined with a space only where neither side is a string. */
function sprint(args: unknown[], where: string): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += print(arg, where);
  });
  return out;
}

/** strconv.Quote for what we print: JSON's escapes are the same for printable text. */
const goQuote = (value: string) => JSON.stringify(value);

/** Go's printf for %s, %d, %v, %q and %%. */
function printf(where: string, format: unknown, ...args: unknown[]): string {
  let next = 0;
  return text(format, where).replace(/%([sdvq%])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[next++];
    if (verb === 'd') return String(toInt(arg, where));
    if (verb === 'q') return goQuote(print(arg, where));
    return print(arg, where);
  });
}

function indent(spaces: unknown, value: unknown, where: string): string {
  const pad = ' '.repeat(Number(toInt(spaces, where)));
  return text(value, where)
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** Helm's toYaml: sigs.k8s.io/yaml (sorted keys), without the final newline. */
function toYaml(value: unknown): string {
  const plain = JSON.parse(JSON.stringify(value ?? null, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
  return stringify(plain, { sortMapEntries: true }).replace(/\n$/, '');
}

/** The subset of Go's and sprig's functions the chart uses; `include` is added by the executor. */
export const FUNCTIONS: Record<string, TemplateFunction> = {
  default: (_, fallback, value) => (truth(value) ? value : fallback),
  empty: (_, value) => !truth(value),
  not: (_, value) => !truth(value),
  eq: (where, a, ...others) => others.some((b) => equal(a, b, where)),
  ne: (where, a, b) => !equal(a, b, where),
  required: (where, message, value) => {
    if (value === null || value === undefined || value === '')
      throw new Error(`${where}: ${text(message, where)}`);
    return value;
  },
  fail: (where, message) => {
    throw new Error(`${where}: ${text(message, where)}`);
  },
  // sprig's ternary takes a bool: anything else is an error in Helm too.
  ternary: (where, yes, no, condition) => {
    if (typeof condition !== 'boolean')
      throw new Error(`${where}: ternary needs a bool, got ${String(condition)}`);
    return condition ? yes : no;
  },
  quote: (where, ...args) =>
    args
      .filter((arg) => arg !== null && arg !== undefined)
      .map((arg) => goQuote(print(arg, where)))
      .join(' '),
  toString: (where: string, value: unknown) => print(value, where),
  print: (where, ...args) => sprint(args, where),
  printf,
  trunc: (where, length, value) => text(value, where).slice(0, Number(toInt(length, where))),
  trimSuffix: (where, suffix, value) => {
    const s = text(value, where);
    const end = text(suffix, where);
    return end !== '' && s.endsWith(end) ? s.slice(0, -end.length) : s;
  },
  contains: (where, part, value) => text(value, where).includes(text(part, where)),
  replace: (where, from, to, value) => text(value, where).split(text(from, where)).join(text(to, where)),
  int: (where, value) => toInt(value, where),
  add: (where, ...values) => values.reduce<bigint>((sum, value) => sum + toInt(value, where), 0n),
  mul: (where, ...values) => values.reduce<bigint>((product, value) => product * toInt(value, where), 1n),
  div: (where, a, b) => toInt(a, where) / toInt(b, where),
  b64enc: (where, value) => Buffer.from(text(value, where)).toString('base64'),
  sha256sum: (where, value) => createHash('sha256').update(text(value, where)).digest('hex'),
  toYaml: (_, value) => toYaml(value),
  indent: (where, spaces, value) => indent(spaces, value, where),
  nindent: (where, spaces, value) => `\n${indent(spaces, value, where)}`,
};

/** Go's eq on basic values: an int64 and a float64 are incomparable, as in Go. */
function equal(a: unknown, b: unknown, where: string): boolean {
  if ((typeof a === 'bigint' && typeof b === 'number') || (typeof a === 'number' && typeof b === 'bigint')) {
    throw new Error(`${where}: incompatible types for comparison (int and float64)`);
  }
  if (typeof a === 'object' && a !== null) throw new Error(`${where}: eq on a map or list`);
  return a === b;
}
