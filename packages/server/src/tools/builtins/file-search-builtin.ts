import { createFileSearchTool, type FileSearchFunction, type FileSearchResult } from '@agentd/tool-files';
import type { BuiltinTool } from '@agentd/tools-gateway';
import { type FileReadGuard, guardedSearch, type WithheldRead, withheldNote } from './file-read-guard.js';
import { toResult } from './tool-session.js';

/**
 * What a run's `{"type": "file_search", ...}` tool chose, handed to each call
 * beside the model's arguments (run-settings.ts adds them; the model never
 * sees them).
 */
export interface FileSearchSettings {
  vector_store_ids?: string[];
  max_num_results?: number;
  filters?: unknown;
  score_threshold?: number;
}

export const FILE_SEARCH_SETTINGS_ARG = '__file_search';

/**
 * file_search over the tenant's vector stores, shown as a file_search_call
 * item with its results. With `reads`, passages the run may not read are
 * left out and the model is told which and why.
 */
export function createFileSearchBuiltin(search: FileSearchFunction, reads?: FileReadGuard): BuiltinTool {
  const template = createFileSearchTool({ search });
  return {
    definition: template.definition,
    async execute(rawArgs, context) {
      const { [FILE_SEARCH_SETTINGS_ARG]: settings = {}, ...args } = rawArgs as Record<string, unknown> & {
        [FILE_SEARCH_SETTINGS_ARG]?: FileSearchSettings;
      };
      const query = String(args.query ?? '');
      const defaultMaxResults = settings.max_num_results ?? 5;
      const wanted = typeof args.max_results === 'number' ? args.max_results : defaultMaxResults;
      const item = context.startItem?.({ type: 'file_search_call', queries: [query] });
      item?.working();
      let found: FileSearchResult[] = [];
      const withheld: WithheldRead[] = [];
      const allowed = reads
        ? guardedSearch(search, reads, 'file_search', (refused) => withheld.push(...refused))
        : search;
      const tool = createFileSearchTool({
        search: (scope, text, options) => allowed(scope, text, { ...options, ...settingsFor(settings) }),
        ...(settings.vector_store_ids ? { vectorStoreIds: settings.vector_store_ids } : {}),
        defaultMaxResults,
        onResults: (_callId, _query, results) => {
          found = results;
        },
      });
      const searched = toResult(await tool.execute!(args, context));
      const result =
        withheld.length === 0
          ? searched
          : {
              ...searched,
              output: `${searched.output}\n\n${withheldNote(withheld, 'their passages were left out')}`,
            };
      if (result.isError) {
        item?.finish({ status: 'failed' });
        return result;
      }
      item?.finish({
        status: 'completed',
        results: found.slice(0, wanted).map((hit) => ({
          file_id: hit.fileId,
          filename: hit.filename,
          score: hit.score,
          text: hit.text,
          vector_store_id: hit.vectorStoreId,
          chunk_index: hit.chunkIndex,
        })),
      });
      return result;
    },
  };
}

/** The filter and threshold of the run's settings, for the search function. */
function settingsFor(settings: FileSearchSettings): { filters?: unknown; scoreThreshold?: number } {
  return {
    ...(settings.filters === undefined ? {} : { filters: settings.filters }),
    ...(settings.score_threshold === undefined ? {} : { scoreThreshold: settings.score_threshold }),
  };
}
