// The network policy lives in @agentd/net-policy; re-exported so existing imports keep working.
export {
  type ConnectionEvent,
  createCheckedLookup,
  createPinnedAgent,
  NetworkPolicy,
  type NetworkPolicyOptions,
  type NetworkRules,
  type PinnedAgentOptions,
  type PolicyDecision,
  parseAddress,
  type ResolvedAddress,
  type Resolver,
  resolveChecked,
  specialRangeOf,
  systemResolver,
} from '@agentd/net-policy';
export { type BrowserLimits, browserLimits } from './browser/browser-limits.js';
export { BrowserPool, type BrowserPoolOptions, type BrowserPoolStats } from './browser/browser-pool.js';
export { BrowserSession, type Screenshot } from './browser/browser-session.js';
export {
  type BrowserAction,
  type BrowserToolArgs,
  type BrowserToolOptions,
  createBrowserTool,
  type SaveScreenshot,
} from './browser/browser-tool.js';
export { DEFAULT_CHROMIUM_PATH } from './browser/chromium-launcher.js';
export { chromiumProcessIds, memoryOf } from './browser/chromium-processes.js';
export type { PageSnapshot } from './browser/current-page.js';
export type { OpenTimings } from './browser/open-timings.js';
export type { RequestRecord } from './browser/route-guard.js';
export { findWebToolError, type WebErrorCode, WebToolError } from './errors.js';
export { type FindMatch, type FindResult, findInParts } from './extract/find-in-parts.js';
export { type ExtractedPage, htmlToMarkdown } from './extract/html-to-markdown.js';
export type { PageLink } from './extract/number-links.js';
export { paginate } from './extract/paginate.js';
export { renderPart } from './extract/render-part.js';
export { type FetchDocumentOptions, type FetchedDocument, fetchDocument } from './fetch/fetch-document.js';
export {
  createFetchUrlTool,
  DEFAULT_USER_AGENT,
  type FetchUrlTool,
  type FetchUrlToolOptions,
} from './fetch/fetch-url-tool.js';
export { type WebScriptedRule, webRules } from './rules/web-rules.js';
export { BRAVE_BASE_URL, type BraveOptions, createBraveBackend } from './search/brave-backend.js';
export type { FileSearch, FileSearchHit } from './search/file-search.js';
export type {
  HttpBackendOptions,
  SearchBackend,
  SearchOptions,
  SearchResult,
} from './search/search-backend.js';
export {
  createSearchBackend,
  SEARCH_BACKEND_NAMES,
  SEARCH_ENV_HINT,
  type SearchBackendName,
  type SearchSettings,
} from './search/search-settings.js';
export { createSearxngBackend, type SearxngOptions } from './search/searxng-backend.js';
export { createTavilyBackend, TAVILY_BASE_URL, type TavilyOptions } from './search/tavily-backend.js';
export {
  createWebSearchTool,
  NO_FILE_SEARCH_MESSAGE,
  NO_WEB_SEARCH_MESSAGE,
  type WebSearchToolOptions,
} from './search/web-search-tool.js';
export { UNTRUSTED_CONTENT_INSTRUCTION, wrapUntrusted } from './untrusted/untrusted-content.js';
