import { findNodeAtLocation, getLocation, getNodeValue, type JSONPath, parseTree } from 'jsonc-parser';

type Schema = Record<string, unknown>;

/** One suggestion at the cursor: a field name (inserted with its quotes and colon) or a value. */
export interface ManifestCompletion {
  label: string;
  kind: 'property' | 'value';
  /** The text to insert at the cursor. */
  insertText: string;
  detail?: string;
}

/**
 * What fits at `offset` in a manifest's text, from the manifest JSON Schema:
 * the fields of the object the cursor is in that are not there yet, or the
 * allowed values (enum, const, booleans) of the field whose value it is at.
 * The schema's `allOf` / `if` / `then` branches apply when the object's own
 * fields satisfy their `if` (an adapter's `type` picks its fields). For files
 * VS Code's JSON support does not attach the schema to (tool directories).
 */
export function completeManifest(text: string, offset: number, schema: Schema): ManifestCompletion[] {
  const location = getLocation(text, offset);
  const root = parseTree(text);
  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const objectNode = root ? findNodeAtLocation(root, objectPath) : undefined;
    const object = objectNode ? (getNodeValue(objectNode) as unknown) : {};
    const present = isRecord(object) ? new Set(Object.keys(object)) : new Set<string>();
    // Inside a key whose opening quote is written: the bare name replaces what was typed.
    const typed = /"[^"\s:,{}[\]]*$/.test(text.slice(0, offset));
    return Object.entries(propertiesAt(schema, objectPath, root ? getNodeValue(root) : undefined))
      .filter(([name]) => !present.has(name) || name === location.path.at(-1))
      .map(([name, sub]) => ({
        label: name,
        kind: 'property' as const,
        insertText: typed ? name : `"${name}": `,
        ...(typeof sub.description === 'string' ? { detail: sub.description } : {}),
      }));
  }
  const valuePath = location.path;
  const field = valuePath.at(-1);
  if (typeof field !== 'string') return [];
  const properties = propertiesAt(schema, valuePath.slice(0, -1), root ? getNodeValue(root) : undefined);
  return valuesOf(properties[field]).map((value) => ({
    label: JSON.stringify(value),
    kind: 'value' as const,
    insertText: JSON.stringify(value),
  }));
}

/** The properties the schema allows for the object at `path` of `document`, branches applied. */
function propertiesAt(schema: Schema, path: JSONPath, document: unknown): Record<string, Schema> {
  let current: Schema | undefined = schema;
  let value: unknown = document;
  for (const step of path) {
    if (!current) return {};
    if (typeof step === 'number') {
      current = isRecord(current.items) ? current.items : undefined;
      value = Array.isArray(value) ? value[step] : undefined;
    } else {
      current = propertiesOf(current, value)[step];
      value = isRecord(value) ? value[step] : undefined;
    }
  }
  return current ? propertiesOf(current, value) : {};
}

/** A schema's properties merged with those of every `allOf` branch that applies to `value`. */
function propertiesOf(schema: Schema, value: unknown): Record<string, Schema> {
  const merged: Record<string, Schema> = { ...asProperties(schema.properties) };
  for (const branch of Array.isArray(schema.allOf) ? schema.allOf : []) {
    if (!isRecord(branch)) continue;
    if (isRecord(branch.if)) {
      if (!satisfies(branch.if, value)) continue;
      if (isRecord(branch.then)) Object.assign(merged, propertiesOf(branch.then, value));
    } else {
      Object.assign(merged, propertiesOf(branch, value));
    }
  }
  return merged;
}

/** Whether `value` satisfies an `if` made of `properties` with `const` or `enum` (what manifests use). */
function satisfies(condition: Schema, value: unknown): boolean {
  if (!isRecord(value)) return false;
  return Object.entries(asProperties(condition.properties)).every(([name, sub]) => {
    const allowed = valuesOf(sub);
    return allowed.length === 0 || allowed.some((candidate) => candidate === value[name]);
  });
}

function valuesOf(schema: Schema | undefined): unknown[] {
  if (!schema) return [];
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  if (schema.type === 'boolean') return [true, false];
  return [];
}

function asProperties(value: unknown): Record<string, Schema> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, Schema] => isRecord(entry[1])),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
