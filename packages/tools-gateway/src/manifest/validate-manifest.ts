import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ToolManifest } from '@agentd/spec';
import { Ajv, type ErrorObject } from 'ajv';

// The schema file sits at the package root, so this path holds from src/ and dist/ alike.
const SCHEMA_PATH = fileURLToPath(new URL('../../schema/tool-manifest.schema.json', import.meta.url));

/** The manifest's JSON Schema, as published in the repository and served by the API. */
export const TOOL_MANIFEST_SCHEMA: Record<string, unknown> = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile<ToolManifest>(TOOL_MANIFEST_SCHEMA);
const schemaChecker = new Ajv({ strict: false });

/** One thing wrong with a manifest: where (a dotted field path) and what. */
export interface ManifestProblem {
  field: string;
  message: string;
}

export type ManifestCheck = { ok: true; manifest: ToolManifest } | { ok: false; problems: ManifestProblem[] };

/** Validates a manifest: its shape against the schema, then what a schema cannot say. */
export function validateManifest(value: unknown): ManifestCheck {
  if (!validateSchema(value)) return { ok: false, problems: describe(validateSchema.errors ?? []) };
  const manifest = value;
  const problems: ManifestProblem[] = [];
  const type = manifest.adapter.type;
  if (manifest.input_schema === undefined && type !== 'openapi' && type !== 'mcp' && type !== 'builtin') {
    problems.push({ field: 'input_schema', message: `is required for ${type} tools` });
  }
  for (const field of ['input_schema', 'output_schema'] as const) {
    const schema = manifest[field];
    if (schema === undefined) continue;
    try {
      schemaChecker.compile(schema);
    } catch (error) {
      problems.push({ field, message: `is not a valid JSON Schema (${(error as Error).message})` });
    }
  }
  if ((manifest.retries ?? 0) > 0 && manifest.idempotent !== true) {
    problems.push({
      field: 'retries',
      message: 'only tools marked idempotent may be retried; set idempotent: true',
    });
  }
  const seen = new Set<string>();
  for (const [index, capability] of (manifest.capabilities ?? []).entries()) {
    if (seen.has(capability.name)) {
      problems.push({ field: `capabilities[${index}].name`, message: `repeats '${capability.name}'` });
    }
    seen.add(capability.name);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, manifest };
}

/** Problems as one line each: `field: problem`. */
export function formatProblems(problems: ManifestProblem[]): string {
  return problems.map((problem) => `${problem.field || '(manifest)'}: ${problem.message}`).join('; ');
}

function describe(errors: ErrorObject[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // if/then branches report a summary error besides the real one; keep the real ones.
    if (error.keyword === 'if') continue;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
      .replace(/^\./, '');
    let field = path;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      field = path ? `${path}.${extra}` : extra;
      message = 'is not a known field';
    } else if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      field = path ? `${path}.${missing}` : missing;
      message = 'is required';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, message });
  }
  return problems;
}
