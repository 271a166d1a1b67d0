import { type OutputUnit, Validator } from '@cfworker/json-schema';

/** One thing wrong with a manifest: where (a field path, or a line and column of the text) and what. */
export interface ManifestProblem {
  where: string;
  message: string;
}

export type ManifestCheck =
  | { ok: true; manifest: Record<string, unknown> }
  | { ok: false; problems: ManifestProblem[] };

/** Errors that only say a sub-schema failed: the failure under them is the one to show. */
const WRAPPERS = new Set([
  'properties',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'items',
  '$ref',
  'false',
]);

/**
 * Checks manifest text as JSON, then against the manifest's JSON Schema (as
 * GET /v1/tools/manifest-schema serves it). The server checks again on
 * registration, and also what a schema cannot say.
 */
export function checkManifest(text: string, schema: Record<string, unknown>): ManifestCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(text, error as Error)] };
  }
  const result = new Validator(schema, draftOf(schema), false).validate(value);
  if (result.valid) return { ok: true, manifest: value as Record<string, unknown> };
  const problems = result.errors
    .filter((unit) => !WRAPPERS.has(unit.keyword))
    .map((unit) => ({ where: fieldOf(unit.instanceLocation), message: messageOf(unit, schema) }));
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const id = `${problem.where}\0${problem.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return {
    ok: false,
    problems: unique.length > 0 ? unique : [{ where: '(manifest)', message: 'does not match the schema' }],
  };
}

function draftOf(schema: Record<string, unknown>): '4' | '7' | '2019-09' | '2020-12' {
  const uri = String(schema.$schema ?? '');
  if (uri.includes('draft-04')) return '4';
  if (uri.includes('2019-09')) return '2019-09';
  if (uri.includes('2020-12')) return '2020-12';
  return '7';
}

/** A JSON syntax error with the line and column it is at (the engine says an offset, or a line and column). */
function syntaxProblem(text: string, error: Error): ManifestProblem {
  const message = error.message.replace(/^JSON\.parse: /, '');
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn)
    return { where: `line ${lineColumn[1]}, column ${lineColumn[2]}`, message: cleanSyntax(message) };
  const position = /position (\d+)/.exec(message);
  if (position) return { where: positionOf(text, Number(position[1])), message: cleanSyntax(message) };
  return { where: '(text)', message: text.trim() === '' ? 'is empty: paste a manifest' : message };
}

const cleanSyntax = (message: string) =>
  `is not valid JSON: ${message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '')}`;

/** `line L, column C` of an offset in `text`. */
export function positionOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/** `#/adapter/headers/x` → `adapter.headers.x`; array items as `capabilities[0]`. */
export function fieldOf(instanceLocation: string): string {
  const parts = instanceLocation
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts.length === 0) return '(manifest)';
  return parts.reduce(
    (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part),
    '',
  );
}

/** The validator's message, said as a person would, with the rule it broke where the schema has it. */
function messageOf(unit: OutputUnit, schema: Record<string, unknown>): string {
  const rule = ruleAt(schema, unit.keywordLocation);
  const quoted = /"([^"]+)"/.exec(unit.error)?.[1];
  switch (unit.keyword) {
    case 'required':
      return `needs the field "${quoted}"`;
    case 'additionalProperties':
      return `has a field that is not allowed here: "${quoted}"`;
    case 'pattern':
      return `must match ${String(rule)}`;
    case 'enum':
      return `must be one of ${(rule as unknown[]).map((item) => JSON.stringify(item)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(rule)}`;
    case 'type':
      return `must be of type ${Array.isArray(rule) ? rule.join(' or ') : String(rule)}`;
    default:
      return unit.error.replace(/^Instance /, '').replace(/\.$/, '');
  }
}

/** The value at a keyword location (`#/properties/name/pattern`) of the schema. */
function ruleAt(schema: Record<string, unknown>, pointer: string): unknown {
  let node: unknown = schema;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[
      decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')
    ];
  }
  return node;
}
