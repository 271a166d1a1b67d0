import fc from 'fast-check';
import {
  deepValue,
  HOSTILE_STRINGS,
  hostileNumber,
  hostileString,
  protoObject,
  wrongType,
} from './hostile-values.js';
import type { Operation } from './openapi-operations.js';

/** One request, as generated: path parameters, query, and a JSON body or an upload form. */
export interface FuzzRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
  /** A body sent as is instead of `body` (not JSON at all). */
  rawBody?: string;
  upload?: { filename: string; purpose?: string; content: string };
}

/** What was broken, and what the server must then do about it. */
export interface Mutation {
  kind: string;
  /** `path.id`, `query.limit`, `body.tools[0].name`, `body` (the whole body), `upload.filename`. */
  where: string;
  /** The server must refuse this request (a 4xx): it is invalid whatever state the server is in. */
  mustRefuse: boolean;
}

type Key = string | number;
type Edit = { request: FuzzRequest; mutation: Mutation };

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));
const show = (path: Key[]) =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${key}`), 'body');

/** Every place in a JSON value, parents before children, at most `limit` of them. */
function placesIn(value: unknown, limit = 40): Key[][] {
  const places: Key[][] = [];
  const walk = (node: unknown, path: Key[]) => {
    if (places.length >= limit || node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      places.push(at);
      walk(child, at);
    }
  };
  walk(value, []);
  return places;
}

function valueAt(root: unknown, path: Key[]): unknown {
  let node = root;
  for (const key of path) node = (node as Record<Key, unknown>)[key];
  return node;
}

const isPlainObject = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function setAt(root: unknown, path: Key[], value: unknown): unknown {
  const copy = clone(root);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<Key, unknown>;
  parent[path.at(-1) as Key] = value;
  return copy;
}

/** Copies keys as own properties: assigning `__proto__` would set the prototype instead. */
function addOwnKeys(target: object, source: object) {
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** The ways to break a request, for one operation and one valid request of it. */
export function mutationsOf(operation: Operation, valid: FuzzRequest): fc.Arbitrary<Edit>[] {
  const options: fc.Arbitrary<Edit>[] = [];
  const edit = (request: Partial<FuzzRequest>, mutation: Mutation): Edit => ({
    request: { ...valid, ...request },
    mutation,
  });

  for (const name of Object.keys(valid.path)) {
    options.push(
      hostileString.map((value) =>
        edit(
          { path: { ...valid.path, [name]: value } },
          { kind: 'hostile id', where: `path.${name}`, mustRefuse: true },
        ),
      ),
    );
  }
  const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  for (const name of queryNames) {
    options.push(
      fc
        .oneof(hostileString, fc.constantFrom('abc', '-1', '1e400', '9007199254740993', '[]'))
        .map((value) =>
          edit(
            { query: { ...valid.query, [name]: value } },
            { kind: 'bad query value', where: `query.${name}`, mustRefuse: false },
          ),
        ),
    );
  }
  if (queryNames.length > 0) {
    options.push(
      fc.constant(
        edit(
          { query: { ...valid.query, zz_fuzz_unknown: '1' } },
          { kind: 'unknown query parameter', where: 'query.zz_fuzz_unknown', mustRefuse: false },
        ),
      ),
    );
  }
  if (operation.body?.type === 'json') options.push(...bodyMutations(operation, valid, edit));
  if (operation.body?.type === 'multipart' && valid.upload) {
    const upload = valid.upload;
    options.push(
      fc
        .constantFrom(
          ...HOSTILE_STRINGS.filter((name) => name.length < 5000),
          'a/../../b.txt',
          '..',
          'x'.repeat(5000),
        )
        .map((filename) =>
          edit(
            { upload: { ...upload, filename } },
            { kind: 'hostile file name', where: 'upload.filename', mustRefuse: false },
          ),
        ),
      fc
        .oneof(hostileString, fc.constant(undefined))
        .map((purpose) =>
          edit(
            { upload: { ...upload, ...(purpose === undefined ? { purpose: undefined } : { purpose }) } },
            { kind: 'bad purpose', where: 'upload.purpose', mustRefuse: true },
          ),
        ),
    );
  }
  return options;
}

function bodyMutations(
  operation: Operation,
  valid: FuzzRequest,
  edit: (request: Partial<FuzzRequest>, mutation: Mutation) => Edit,
): fc.Arbitrary<Edit>[] {
  const schema = operation.body?.schema ?? {};
  const options: fc.Arbitrary<Edit>[] = [
    fc.oneof(wrongType, fc.constant(undefined)).map((body) =>
      body === undefined || Array.isArray(body) || typeof body !== 'object'
        ? edit(
            { body: undefined, rawBody: body === undefined ? '{"unterminated": ' : JSON.stringify(body) },
            {
              kind: 'whole body',
              where: 'body',
              mustRefuse: true,
            },
          )
        : edit({ body }, { kind: 'empty body', where: 'body', mustRefuse: false }),
    ),
  ];
  const required = (schema.required ?? []) as string[];
  if (required.length > 0 && valid.body && typeof valid.body === 'object') {
    options.push(
      fc.constantFrom(...required).map((name) => {
        const body = { ...(valid.body as Record<string, unknown>) };
        delete body[name];
        return edit({ body }, { kind: 'missing required', where: `body.${name}`, mustRefuse: true });
      }),
    );
  }
  if (schema.additionalProperties === false && valid.body && typeof valid.body === 'object') {
    options.push(
      fc.constant(
        edit(
          { body: { ...(valid.body as object), zz_fuzz_unknown: 1 } },
          { kind: 'unknown field', where: 'body.zz_fuzz_unknown', mustRefuse: true },
        ),
      ),
    );
  }
  const places = placesIn(valid.body);
  const ofKind = (test: (value: unknown) => boolean) =>
    places.filter((place) => test(valueAt(valid.body, place)));
  const replaceAt = (candidates: Key[][], kind: string, values: fc.Arbitrary<unknown>, weight = 1) => {
    if (candidates.length === 0) return;
    const replace = fc
      .tuple(fc.constantFrom(...candidates), values)
      .map(([place, value]) =>
        edit({ body: setAt(valid.body, place, value) }, { kind, where: show(place), mustRefuse: false }),
      );
    for (let i = 0; i < weight; i++) options.push(replace);
  };
  replaceAt(places, 'wrong type', wrongType);
  replaceAt(places, 'deep nesting', deepValue);
  // Hostile text where text is expected, so that it passes validation and reaches storage.
  replaceAt(
    ofKind((value) => typeof value === 'string'),
    'hostile text',
    hostileString,
  );
  replaceAt(
    ofKind((value) => typeof value === 'number'),
    'huge number',
    hostileNumber,
  );
  // New keys in an object of the body (the body itself too): `__proto__`, a NUL in a key, a deep value.
  const objects = [[] as Key[], ...ofKind((value) => isPlainObject(value))];
  const added = fc.oneof(
    fc.constant({ kind: '__proto__ key', keys: protoObject() }),
    hostileString.map((key) => ({ kind: 'hostile key', keys: { [`k${key.slice(0, 80)}`]: 'v' } })),
    deepValue.map((value) => ({ kind: 'deep nesting', keys: { deep: value } })),
  );
  options.push(
    fc.tuple(fc.constantFrom(...objects), added).map(([place, { kind, keys }]) => {
      const body = clone(valid.body);
      addOwnKeys(place.length === 0 ? (body as object) : (valueAt(body, place) as object), keys);
      return edit({ body }, { kind, where: show(place), mustRefuse: false });
    }),
  );
  return options;
}
