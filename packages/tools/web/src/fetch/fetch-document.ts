import type { NetworkPolicy } from '@agentd/net-policy';
import type { Dispatcher } from 'undici';
import { findWebToolError, WebToolError } from '../errors.js';
import { decodeText } from '../extract/decode-text.js';
import { contentKindOf } from './content-kind.js';
import { fetchFollowingRedirects } from './follow-redirects.js';
import { headerValue } from './http-exchange.js';

export interface FetchDocumentOptions {
  policy: NetworkPolicy;
  dispatcher: Dispatcher;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  signal?: AbortSignal;
}

export interface FetchedDocument {
  url: URL;
  status: number;
  contentType: string;
  kind: 'html' | 'text';
  text: string;
  truncated: boolean;
  redirects: URL[];
}

/** GETs a URL without running anything, following redirects under the policy, within a time limit. */
export async function fetchDocument(url: string, options: FetchDocumentOptions): Promise<FetchedDocument> {
  const start = options.policy.assertUrl(url);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Awaited<ReturnType<typeof fetchFollowingRedirects>>;
  try {
    response = await fetchFollowingRedirects(start, {
      policy: options.policy,
      dispatcher: options.dispatcher,
      signal,
      maxBytes: options.maxBytes,
      maxRedirects: options.maxRedirects,
      headers: {
        'user-agent': options.userAgent,
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.5',
      },
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new WebToolError('timeout', `${start.href} did not load within ${options.timeoutMs / 1000} s.`);
    }
    const known = findWebToolError(error);
    if (known) throw known;
    throw new WebToolError('network_error', `Could not fetch ${start.href}: ${describe(error)}.`, {
      cause: error,
    });
  }
  const contentType = headerValue(response.headers['content-type']) ?? '';
  const kind = contentKindOf(contentType, response.body);
  if (kind === 'unsupported') {
    throw new WebToolError(
      'unsupported_content',
      `${response.url.href} is ${contentType || 'binary data'}, which fetch_url cannot read as text (it reads HTML, plain text and JSON).`,
    );
  }
  return {
    url: response.url,
    status: response.status,
    contentType,
    kind,
    text: decodeText(response.body, contentType, kind === 'html'),
    truncated: response.truncated,
    redirects: response.redirects,
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
