import { z } from '@hono/zod-openapi';
import { AgentdError } from '../errors.js';
import { partValidationError } from '../http/error-response.js';
import type { BuiltinTools } from '../tools/builtins/builtin-tools.js';
import type { BuiltinSettings } from '../tools/builtins/run-settings.js';
import { AttributeFilterSchema } from '../vector-stores/attribute-filter.js';

/** `{"type": "code_interpreter"}` as in the Responses API; `runtime` is agentd's (the default runtime). */
const CodeInterpreterToolSchema = z.looseObject({
  type: z.literal('code_interpreter'),
  container: z
    .union([
      z.string(),
      z.looseObject({ type: z.string().optional(), file_ids: z.array(z.string().min(1)).max(50).optional() }),
    ])
    .optional(),
  runtime: z.enum(['pyodide', 'cpython']).optional(),
});

/** `{"type": "file_search", "vector_store_ids": [...]}` as in the Responses API. */
const FileSearchToolSchema = z.looseObject({
  type: z.literal('file_search'),
  vector_store_ids: z.array(z.string().min(1)).min(1).max(16),
  max_num_results: z.number().int().min(1).max(50).optional(),
  filters: AttributeFilterSchema.optional(),
  ranking_options: z
    .looseObject({ ranker: z.string().optional(), score_threshold: z.number().min(0).max(1).optional() })
    .optional(),
});

const WEB_SEARCH_TYPES = new Set([
  'web_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'web_search_2025_08_26',
]);

/** A Responses-API built-in tool object, mapped onto agentd's built-in tools. */
export interface BuiltinToolObject {
  /** The built-in tools it enables. */
  names: string[];
  settings: BuiltinSettings;
  /** How the response's `tools` shows it: as the client wrote it. */
  echo: Record<string, unknown>;
  /** file_search's vector stores, checked against the tenant at creation. */
  vectorStoreIds?: string[];
  /** The code interpreter's `container.file_ids`, checked against the tenant at creation. */
  fileIds?: string[];
}

export function isBuiltinToolObjectType(type: unknown): boolean {
  return (
    type === 'code_interpreter' ||
    type === 'file_search' ||
    (typeof type === 'string' && WEB_SEARCH_TYPES.has(type))
  );
}

/**
 * `{"type": "code_interpreter", ...}` enables code_interpreter (its `runtime`
 * is the default runtime); `{"type": "web_search"}` (and the preview names)
 * enables web_search and, to read what it finds, fetch_url. A built-in that
 * is off, or a runtime that is not installed, is a 400 naming the field.
 */
export function builtinToolObject(
  ref: Record<string, unknown>,
  param: string,
  builtins: BuiltinTools | undefined,
): BuiltinToolObject {
  const refuse = (name: string, field = param) => {
    const why = builtins?.unavailable(name) ?? 'this server has no built-in tools';
    return new AgentdError(
      'invalid_request',
      'unsupported_tool',
      `The built-in tool '${name}' is not available: ${why}.`,
      {
        param: field,
      },
    );
  };
  if (ref.type === 'code_interpreter') {
    const parsed = CodeInterpreterToolSchema.safeParse(ref);
    if (!parsed.success) throw partValidationError(parsed.error, param, ref);
    if (!builtins?.has('code_interpreter')) throw refuse('code_interpreter');
    const runtime = parsed.data.runtime;
    if (runtime) {
      const why = builtins.unavailable(runtime);
      if (why) {
        throw new AgentdError(
          'invalid_request',
          'unsupported_tool',
          `The ${runtime} runtime is not available: ${why}.`,
          {
            param: `${param}.runtime`,
          },
        );
      }
    }
    const container = parsed.data.container;
    const fileIds = typeof container === 'object' ? (container.file_ids ?? []) : [];
    return {
      names: ['code_interpreter'],
      settings:
        runtime || fileIds.length > 0
          ? {
              code_interpreter: {
                ...(runtime ? { runtime } : {}),
                ...(fileIds.length > 0 ? { file_ids: fileIds } : {}),
              },
            }
          : {},
      echo: ref,
      ...(fileIds.length > 0 ? { fileIds } : {}),
    };
  }
  if (ref.type === 'file_search') {
    const parsed = FileSearchToolSchema.safeParse(ref);
    if (!parsed.success) throw partValidationError(parsed.error, param, ref);
    if (!builtins?.has('file_search')) throw refuse('file_search');
    const { vector_store_ids, max_num_results, filters, ranking_options } = parsed.data;
    return {
      names: ['file_search'],
      settings: {
        file_search: {
          vector_store_ids,
          ...(max_num_results === undefined ? {} : { max_num_results }),
          ...(filters === undefined ? {} : { filters }),
          ...(ranking_options?.score_threshold === undefined
            ? {}
            : { score_threshold: ranking_options.score_threshold }),
        },
      },
      echo: ref,
      vectorStoreIds: vector_store_ids,
    };
  }
  if (!builtins?.has('web_search')) throw refuse('web_search');
  return {
    names: builtins.has('fetch_url') ? ['web_search', 'fetch_url'] : ['web_search'],
    settings: {},
    echo: ref,
  };
}
