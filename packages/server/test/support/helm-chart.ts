import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { TemplateExecutor } from './go-template/execute.js';
import { type Node, parseTemplate } from './go-template/parse.js';

/**
 * A Helm chart rendered as `helm template` does, for the subset of Go
 * template syntax and sprig functions that deploy/helm/agentd uses (anything
 * else is an error, never silently skipped): values from values.yaml merged
 * with overrides, every `define` of every file, each template file rendered
 * and parsed as YAML documents.
 */
const YAML_1_1 = { version: '1.1' } as const;

export interface RenderedObject {
  file: string;
  object: Record<string, unknown> & { kind: string; metadata: { name: string }; spec?: unknown };
}

export interface HelmChart {
  name: string;
  values: Record<string, unknown>;
  render(options?: { values?: Record<string, unknown>; releaseName?: string }): RenderedObject[];
}

export function loadChart(dir: string): HelmChart {
  // Helm and Kubernetes read YAML 1.1 (go-yaml v2): unquoted on, off, yes, no are booleans there.
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), YAML_1_1) as Record<string, string>;
  const name = chart.name as string;
  const values = (parse(readFileSync(join(dir, 'values.yaml'), 'utf8'), YAML_1_1) ?? {}) as Record<
    string,
    unknown
  >;
  const files = readdirSync(join(dir, 'templates')).sort();
  const defines = new Map<string, Node[]>();
  const manifests: string[] = [];
  for (const file of files) {
    const path = `${name}/templates/${file}`;
    const parsed = parseTemplate(readFileSync(join(dir, 'templates', file), 'utf8'), path);
    for (const [define, body] of parsed.defines) defines.set(define, body);
    // A file is a template by its path too (what include (print $.Template.BasePath "/x.yaml") names).
    defines.set(path, parsed.body);
    if (!file.startsWith('_') && /\.(ya?ml|tpl)$/.test(file)) manifests.push(file);
  }
  const executor = new TemplateExecutor(defines);
  return {
    name,
    values,
    render(options = {}) {
      const releaseName = options.releaseName ?? 'agentd';
      const objects: RenderedObject[] = [];
      for (const file of manifests) {
        const path = `${name}/templates/${file}`;
        const top = {
          Values: mergeValues(values, options.values ?? {}),
          Release: { Name: releaseName, Namespace: 'default', Service: 'Helm', IsInstall: true, Revision: 1 },
          Chart: { Name: name, Version: chart.version, AppVersion: chart.appVersion },
          Template: { Name: path, BasePath: `${name}/templates` },
          Capabilities: {},
        };
        const text = executor.include(path, top);
        for (const doc of parseAllDocuments(text, YAML_1_1)) {
          if (doc.errors.length > 0)
            throw new Error(`${path}: rendered YAML does not parse: ${doc.errors[0]?.message}\n${text}`);
          const object = doc.toJS() as RenderedObject['object'] | null;
          if (object !== null) objects.push({ file, object });
        }
      }
      return objects;
    },
  };
}

/** Helm's coalescing of values: maps merge key by key, anything else is replaced; null removes a key. */
export function mergeValues(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(current)) out[key] = mergeValues(current, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
