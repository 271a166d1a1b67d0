import type { ToolContext, ToolResult } from '@agentd/core';
import type { WebSearchAction } from '@agentd/spec';
import type { FileSearchFunction } from '@agentd/tool-files';
import {
  type BrowserPool,
  type BrowserToolArgs,
  createBrowserTool,
  createWebSearchTool,
  type FetchUrlTool,
  type NetworkPolicy,
  type SearchBackend,
  type SearchResult,
} from '@agentd/tool-web';
import type { BuiltinTool } from '@agentd/tools-gateway';
import type { Logger } from 'pino';
import { type ArtifactStore, artifactUrl } from './artifact-store.js';
import { pageSource } from './page-source.js';
import { sessionOf, toResult } from './tool-session.js';

/** fetch_url, shown as a web_search_call item with an open_page action. */
export function createFetchUrlBuiltin(
  template: FetchUrlTool,
  fetchFor: (context: ToolContext) => Promise<FetchUrlTool>,
): BuiltinTool {
  return {
    definition: template.definition,
    async execute(args, context): Promise<ToolResult> {
      const url = (args as { url?: unknown }).url;
      const requested = typeof url === 'string' ? url : null;
      const item = context.startItem?.({
        type: 'web_search_call',
        tool: 'fetch_url',
        action: { type: 'open_page', url: requested },
      });
      item?.working();
      const fetchTool = await fetchFor(context);
      const result = toResult(await fetchTool.execute!(args, context));
      if (result.isError) {
        item?.finish({ status: 'failed' });
        return result;
      }
      const page = pageSource(result.output);
      item?.finish({
        status: 'completed',
        action: {
          type: 'open_page',
          url: page?.url ?? requested,
          ...(page?.title ? { title: page.title } : {}),
        },
      });
      return result;
    },
  };
}

/** web_search, shown as a web_search_call item with a search action and its sources. */
export function createWebSearchBuiltin(
  backend: SearchBackend | undefined,
  fileSearch?: FileSearchFunction,
): BuiltinTool {
  const template = createWebSearchTool(backend ? { backend } : {});
  return {
    definition: template.definition,
    async execute(args, context): Promise<ToolResult> {
      const query = String((args as { query?: unknown }).query ?? '');
      const item = context.startItem?.({
        type: 'web_search_call',
        tool: 'web_search',
        action: { type: 'search', query },
      });
      item?.working();
      let results: SearchResult[] = [];
      const scope = context.scope;
      const tool = createWebSearchTool({
        ...(backend ? { backend } : {}),
        // source "files": the tenant's own vector stores, through the same index as file_search.
        ...(fileSearch && scope
          ? {
              fileSearch: async (text: string, options: { limit: number; signal: AbortSignal }) =>
                (await fileSearch(scope, text, { maxResults: options.limit, signal: options.signal })).map(
                  (hit) => ({
                    fileId: hit.fileId,
                    filename: hit.filename,
                    snippet: hit.text,
                    score: hit.score,
                  }),
                ),
            }
          : {}),
        onResults: (event) => {
          results = event.results;
        },
      });
      const result = toResult(await tool.execute!(args, context));
      if (result.isError) {
        item?.finish({ status: 'failed' });
        return result;
      }
      item?.finish({
        status: 'completed',
        action: {
          type: 'search',
          query,
          sources: results.map((found) => ({ type: 'url' as const, url: found.url, title: found.title })),
        },
      });
      return result;
    },
  };
}

export interface BrowserBuiltinOptions {
  pool: BrowserPool;
  policy: NetworkPolicy;
  /** The policy of the call's tenant, when it differs from the server-wide one. */
  policyFor?: (context: ToolContext) => Promise<NetworkPolicy>;
  artifacts: ArtifactStore;
  logger: Logger;
}

/**
 * browser, one context per tenant and conversation, each call shown as a
 * web_search_call item (open_page, find_in_page, or agentd's screenshot with
 * the stored image in `outputs`).
 */
export function createBrowserBuiltin(options: BrowserBuiltinOptions): BuiltinTool {
  const { pool, policy, artifacts } = options;
  const template = createBrowserTool({ pool, policy, sessionId: 'template' });
  return {
    definition: template.definition,
    async execute(args, context): Promise<ToolResult> {
      const call = args as BrowserToolArgs;
      const item = context.startItem?.({
        type: 'web_search_call',
        tool: 'browser',
        action: startAction(call),
      });
      item?.working();
      let shot: { url: string; title: string; saved?: { fileId: string; url?: string } } | undefined;
      const tool = createBrowserTool({
        pool,
        policy: (await options.policyFor?.(context)) ?? policy,
        sessionId: sessionOf(context),
        saveScreenshot: async (screenshot) => {
          shot = { url: screenshot.url, title: screenshot.title };
          const scope = context.scope;
          if (!scope) return undefined;
          try {
            const saved = await artifacts.save(scope, {
              filename: 'screenshot.png',
              contentType: 'image/png',
              bytes: Buffer.from(screenshot.png),
            });
            shot.saved = saved;
            return saved.fileId;
          } catch (error) {
            options.logger.warn(
              { err: error, response_id: scope.responseId },
              'could not store a screenshot',
            );
            return undefined;
          }
        },
      });
      const result = toResult(await tool.execute!(args, context));
      if (result.isError) {
        item?.finish({ status: 'failed' });
        return result;
      }
      if (call.action === 'screenshot') {
        item?.finish({
          status: 'completed',
          action: {
            type: 'screenshot',
            url: shot?.url ?? null,
            ...(shot?.title ? { title: shot.title } : {}),
          },
          ...(shot?.saved
            ? {
                outputs: [
                  { type: 'image' as const, url: artifactUrl(shot.saved), file_id: shot.saved.fileId },
                ],
              }
            : {}),
        });
        return result;
      }
      const page = pageSource(result.output);
      const url = page?.url ?? /^URL: (\S+)$/m.exec(result.output)?.[1] ?? null;
      const action: WebSearchAction =
        call.action === 'find'
          ? { type: 'find_in_page', url, pattern: call.text ?? '' }
          : { type: 'open_page', url, ...(page?.title ? { title: page.title } : {}) };
      item?.finish({ status: 'completed', action });
      return result;
    },
  };
}

function startAction(call: BrowserToolArgs): WebSearchAction {
  switch (call.action) {
    case 'open':
      return { type: 'open_page', url: call.url ?? null };
    case 'find':
      return { type: 'find_in_page', url: null, pattern: call.text ?? '' };
    case 'screenshot':
      return { type: 'screenshot', url: null };
    default:
      return { type: 'open_page', url: null };
  }
}
