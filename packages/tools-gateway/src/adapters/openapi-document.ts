import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $RefParser, type ParserOptions } from '@apidevtools/json-schema-ref-parser';
import { parse as parseYaml } from 'yaml';
import { AdapterError } from './adapter-error.js';
import { policyRefusal } from './network-access.js';
import type { OpenApiDocument } from './openapi-types.js';

export interface LoadedOpenApiDocument {
  document: OpenApiDocument;
  /** How errors name it: its URL, its file path, or "(inline)". */
  name: string;
  /** The URL it was fetched from, against which relative server URLs resolve. */
  url?: string;
}

export interface LoadOpenApiOptions {
  /** The directory a relative file path is resolved against (the manifest's). */
  baseDir?: string;
  /** Fetches a document by URL and its $refs; the adapter's, under its network policy. */
  fetch?: typeof fetch;
}

/**
 * Loads an OpenAPI 3 document from a URL, a file or an inline object, parses
 * JSON or YAML, and dereferences its $refs. External $refs are followed only
 * the way the document itself came (files for a file, URLs for a URL) and
 * never for an inline document, whose author may not read the server's disk.
 */
export async function loadOpenApiDocument(
  source: string | Record<string, unknown>,
  options: LoadOpenApiOptions = {},
): Promise<LoadedOpenApiDocument> {
  const doFetch = options.fetch ?? fetch;
  let name = '(inline)';
  try {
    if (typeof source !== 'string') {
      const document = await dereference(checkShape(source), undefined, refOptions('none', doFetch));
      return { document, name };
    }
    if (/^https?:\/\//i.test(source)) {
      name = source;
      const response = await doFetch(source, {
        headers: { accept: 'application/json, application/yaml, */*' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status} when fetching it`);
      const parsed = checkShape(parseText(await response.text()));
      return { document: await dereference(parsed, source, refOptions('http', doFetch)), name, url: source };
    }
    const path = source.startsWith('file:')
      ? fileURLToPath(source)
      : isAbsolute(source)
        ? source
        : resolve(options.baseDir ?? process.cwd(), source);
    name = path;
    const parsed = checkShape(parseText(await readFile(path, 'utf8')));
    return { document: await dereference(parsed, path, refOptions('file', doFetch)), name };
  } catch (error) {
    const refusal = policyRefusal(error, `the fetch of the OpenAPI document ${name}`);
    if (refusal) throw refusal;
    throw new AdapterError(
      'document_invalid',
      `the OpenAPI document ${name} could not be loaded: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function parseText(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`it is not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new Error(`it is not valid YAML (${(error as Error).message})`);
  }
}

function checkShape(value: unknown): OpenApiDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('it is not an object');
  }
  const record = value as Record<string, unknown>;
  if (typeof record.swagger === 'string') {
    throw new Error(`it is Swagger ${record.swagger}; only OpenAPI 3.0 and 3.1 are supported`);
  }
  if (typeof record.openapi !== 'string' || !record.openapi.startsWith('3.')) {
    throw new Error('its `openapi` field must name version 3.0 or 3.1');
  }
  if (record.paths !== undefined && (typeof record.paths !== 'object' || record.paths === null)) {
    throw new Error('its `paths` must be an object');
  }
  return record as unknown as OpenApiDocument;
}

async function dereference(
  document: OpenApiDocument,
  path: string | undefined,
  options: ParserOptions,
): Promise<OpenApiDocument> {
  const parser = new $RefParser();
  const result =
    path === undefined
      ? await parser.dereference(document as object, options)
      : await parser.dereference(path, document as object, options);
  return result as unknown as OpenApiDocument;
}

function refOptions(external: 'none' | 'file' | 'http', doFetch: typeof fetch): ParserOptions {
  return {
    mutateInputSchema: false,
    // Recursive schemas stay as $refs; the schema builder turns them into open schemas.
    dereference: { circular: 'ignore' },
    resolve: {
      external: external !== 'none',
      // `true` would replace the built-in file resolver rather than keep it.
      ...(external === 'file' ? {} : { file: false }),
      http: false,
      ...(external === 'http'
        ? {
            agentdHttp: {
              order: 1,
              canRead: /^https?:\/\//i,
              read: async (file: { url: string }) => {
                const response = await doFetch(file.url);
                if (!response.ok) throw new Error(`HTTP ${response.status} when fetching ${file.url}`);
                return response.text();
              },
            },
          }
        : {}),
    },
  };
}
