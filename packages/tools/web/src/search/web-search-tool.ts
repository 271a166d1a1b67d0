import type { RunTool, ToolResult } from '@agentd/spec';
import { failureResult } from '../tool-errors.js';
import { wrapUntrusted } from '../untrusted/untrusted-content.js';
import type { FileSearch } from './file-search.js';
import type { SearchBackend, SearchResult } from './search-backend.js';
import { SEARCH_ENV_HINT } from './search-settings.js';

export interface WebSearchToolOptions {
  /** Absent when no backend is configured: the tool then says so. */
  backend?: SearchBackend;
  /** Search over the tenant's own files. */
  fileSearch?: FileSearch;
  /** Results returned by default (the model may ask for 1 to 20). Default 5. */
  defaultCount?: number;
  /** Called with each web search's results, e.g. to emit a web_search_call item and URL citations. */
  onResults?: (event: { query: string; backend: string; results: SearchResult[]; callId: string }) => void;
}

export const NO_WEB_SEARCH_MESSAGE =
  `Web search is not configured on this server: no search backend is set (the operator sets ${SEARCH_ENV_HINT}). ` +
  'Answer from what you know, or open a known URL with the browser or fetch_url tool.';

export const NO_FILE_SEARCH_MESSAGE =
  "Searching the tenant's files is not available on this server (there is no file index).";

/** web_search: the web through the configured backend, or the tenant's files. */
export function createWebSearchTool(options: WebSearchToolOptions = {}): RunTool {
  const defaultCount = options.defaultCount ?? 5;
  return {
    definition: {
      name: 'web_search',
      description:
        'Search the web (or, with source "files", your own uploaded files). Returns titles, URLs and snippets; ' +
        'open a result with the browser or fetch_url tool to read it.',
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string', minLength: 1 },
          source: { type: 'string', enum: ['web', 'files'], description: 'Default "web".' },
          count: {
            type: 'integer',
            minimum: 1,
            maximum: 20,
            description: `Results wanted; default ${defaultCount}.`,
          },
        },
        required: ['query'],
        additionalProperties: false,
      },
    },
    timeoutMs: 30_000,
    async execute(rawArgs, context): Promise<ToolResult> {
      const {
        query,
        source = 'web',
        count = defaultCount,
      } = rawArgs as {
        query: string;
        source?: 'web' | 'files';
        count?: number;
      };
      try {
        if (source === 'files') {
          if (!options.fileSearch) return { output: NO_FILE_SEARCH_MESSAGE, isError: true };
          const hits = await options.fileSearch(query, { limit: count, signal: context.signal });
          if (hits.length === 0) return { output: `web_search: no file matches ${JSON.stringify(query)}.` };
          const lines = hits.map(
            (hit, index) => `[${index + 1}] ${hit.filename} (file ${hit.fileId})\n    ${hit.snippet}`,
          );
          return {
            output: `web_search: ${hits.length} file result(s) for ${JSON.stringify(query)}.\n${wrapUntrusted(lines.join('\n'), "the tenant's files")}`,
          };
        }
        if (!options.backend) return { output: NO_WEB_SEARCH_MESSAGE, isError: true };
        const results = await options.backend.search(query, { count, signal: context.signal });
        options.onResults?.({ query, backend: options.backend.name, results, callId: context.callId });
        if (results.length === 0) return { output: `web_search: no results for ${JSON.stringify(query)}.` };
        const lines = results.map(
          (result, index) => `[${index + 1}] ${result.title}\n    ${result.url}\n    ${result.snippet}`,
        );
        return {
          output:
            `web_search: ${results.length} result(s) from ${options.backend.name} for ${JSON.stringify(query)}.\n` +
            wrapUntrusted(lines.join('\n'), 'web search results'),
        };
      } catch (error) {
        return failureResult(error, context.signal);
      }
    },
  };
}
