import {
  type ConnectionEvent,
  createPinnedAgent,
  type NetworkPolicy,
  type Resolver,
} from '@agentd/net-policy';
import type { RunTool, ToolResult } from '@agentd/spec';
import { WebToolError } from '../errors.js';
import { type ExtractedPage, htmlToMarkdown } from '../extract/html-to-markdown.js';
import { paginate } from '../extract/paginate.js';
import { renderPart } from '../extract/render-part.js';
import { failureResult } from '../tool-errors.js';
import { wrapUntrusted } from '../untrusted/untrusted-content.js';
import { type FetchedDocument, fetchDocument } from './fetch-document.js';
import { PageCache } from './page-cache.js';

export interface FetchUrlToolOptions {
  policy: NetworkPolicy;
  /** DNS for the pinned connections; the system resolver by default. */
  resolver?: Resolver;
  /** Time for the whole fetch, redirects included. Default 15 s. */
  timeoutMs?: number;
  /** Body bytes read at most (after decompression). Default 2 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Characters of markdown per part. Default 8000. */
  pageSize?: number;
  userAgent?: string;
  onConnect?: (event: ConnectionEvent) => void;
}

export interface FetchUrlTool extends RunTool {
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; agentd-web/0.1; +https://github.com/agentd)';

interface FetchedPage {
  document: FetchedDocument;
  page: ExtractedPage;
  parts: string[];
}

/** fetch_url: a plain HTTP GET, no JavaScript, read as markdown in parts. */
export function createFetchUrlTool(options: FetchUrlToolOptions): FetchUrlTool {
  const agent = createPinnedAgent({
    policy: options.policy,
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.onConnect ? { onConnect: options.onConnect } : {}),
  });
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pageSize = options.pageSize ?? 8000;
  const cache = new PageCache<FetchedPage>(16, 5 * 60_000);

  const load = async (url: string, signal: AbortSignal): Promise<FetchedPage> => {
    const document = await fetchDocument(url, {
      policy: options.policy,
      dispatcher: agent,
      timeoutMs,
      maxBytes: options.maxBytes ?? 2_000_000,
      maxRedirects: options.maxRedirects ?? 5,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      signal,
    });
    const finalUrl = document.url.href;
    const page: ExtractedPage =
      document.kind === 'html'
        ? htmlToMarkdown(document.text, finalUrl)
        : { url: finalUrl, title: '', markdown: document.text, links: [], usedFallback: false };
    return { document, page, parts: paginate(page.markdown, pageSize) };
  };

  return {
    definition: {
      name: 'fetch_url',
      description:
        'Fetch a web page with a plain HTTP GET (no JavaScript) and read it as markdown: title, final URL, ' +
        'numbered links and the text in parts. Use `page` to read further parts. Cheaper than the browser; ' +
        'pages that build their content with JavaScript need the browser tool.',
      parameters: {
        type: 'object',
        properties: {
          url: { type: 'string', description: 'An http or https URL.' },
          page: { type: 'integer', minimum: 1, description: 'Which part of the page to read; 1 by default.' },
        },
        required: ['url'],
        additionalProperties: false,
      },
    },
    timeoutMs: timeoutMs + 15_000,
    async execute(args, context): Promise<ToolResult> {
      const { url, page = 1 } = args as { url: string; page?: number };
      try {
        let fetched = page > 1 ? cache.get(url) : undefined;
        if (!fetched) {
          fetched = await load(url, context.signal);
          cache.set(url, fetched);
        }
        return { output: render(fetched, page, url) };
      } catch (error) {
        return failureResult(error, context.signal);
      }
    },
    close: () => agent.close(),
  };
}

function render({ document, page, parts }: FetchedPage, partNumber: number, requested: string): string {
  if (partNumber > parts.length) {
    throw new WebToolError(
      'no_page',
      `${requested} has ${parts.length} part(s); there is no part ${partNumber}.`,
    );
  }
  const notes: string[] = [];
  if (document.redirects.length > 0) notes.push(`Redirected ${document.redirects.length} time(s).`);
  if (document.truncated) notes.push('The page was larger than the size limit: only its beginning was read.');
  if (document.status >= 400) notes.push(`The server answered HTTP ${document.status}.`);
  const header = `fetch_url: HTTP ${document.status}, ${document.contentType || 'no content type'}, part ${partNumber} of ${parts.length}.`;
  const more =
    partNumber < parts.length
      ? `To read on, call fetch_url with {"url": ${JSON.stringify(requested)}, "page": ${partNumber + 1}}.`
      : 'This is the last part.';
  const body = wrapUntrusted(renderPart(page, parts, partNumber - 1), 'a web page fetched by fetch_url');
  return [header, ...notes, body, more].join('\n');
}
