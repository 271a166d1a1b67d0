import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** One thing wrong with a manifest: the JSON path of the field (empty for the whole file) and what. */
export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Checks a parsed manifest against the manifest JSON Schema the server
 * publishes (shipped in the extension), then what a schema cannot say, as
 * the server's own validateManifest does (the tests hold the two to the same
 * answers).
 */
export class ManifestChecker {
  private readonly validate: ValidateFunction;
  private readonly schemaCompiler = new Ajv({ strict: false });

  constructor(schema: Record<string, unknown>) {
    this.validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }

  /** Problems the JSON Schema finds (VS Code's JSON language service reports the same as you type). */
  schemaProblems(value: unknown): SchemaProblem[] {
    if (this.validate(value)) return [];
    return describe(this.validate.errors ?? []);
  }

  /** Problems a schema cannot express; only meaningful once the schema is satisfied. */
  ruleProblems(value: unknown): SchemaProblem[] {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
    const manifest = value as Record<string, unknown>;
    const problems: SchemaProblem[] = [];
    const type = (manifest.adapter as { type?: unknown } | undefined)?.type;
    if (manifest.input_schema === undefined && !['openapi', 'mcp', 'builtin'].includes(String(type))) {
      problems.push({ path: [], message: `input_schema is required for ${String(type)} tools` });
    }
    for (const field of ['input_schema', 'output_schema']) {
      const schema = manifest[field];
      if (schema === undefined || typeof schema !== 'object' || schema === null) continue;
      try {
        this.schemaCompiler.compile(schema);
      } catch (error) {
        problems.push({ path: [field], message: `is not a valid JSON Schema (${(error as Error).message})` });
      }
    }
    if (Number(manifest.retries ?? 0) > 0 && manifest.idempotent !== true) {
      problems.push({
        path: ['retries'],
        message: 'only tools marked idempotent may be retried; set idempotent: true',
      });
    }
    const seen = new Set<string>();
    const capabilities = Array.isArray(manifest.capabilities) ? manifest.capabilities : [];
    capabilities.forEach((capability: { name?: unknown }, index) => {
      const name = String(capability?.name);
      if (seen.has(name))
        problems.push({ path: ['capabilities', index, 'name'], message: `repeats '${name}'` });
      seen.add(name);
    });
    return problems;
  }

  /** Every problem: the schema's first, the rules' only when the schema holds. */
  problems(value: unknown): SchemaProblem[] {
    const schema = this.schemaProblems(value);
    return schema.length > 0 ? schema : this.ruleProblems(value);
  }
}

function describe(errors: ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // if/then branches report a summary error besides the real one; keep the real ones.
    if (error.keyword === 'if') continue;
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'additionalProperties') {
      path.push((error.params as { additionalProperty: string }).additionalProperty);
      message = 'is not a known field';
    } else if (error.keyword === 'required') {
      message = `${(error.params as { missingProperty: string }).missingProperty} is required`;
    } else if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      message = `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
    }
    const key = `${path.join('.')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message });
  }
  return problems;
}
