import { NetworkPolicyError } from '@agentd/net-policy';
import { codedError, type ErrorCategory } from '@agentd/spec';

/**
 * The one error class of the web tools, an AgentdError whose category follows
 * from its code: the caller's request is at fault (a 4xx), this server is busy
 * or not set up for it, or the remote site or search API failed (`upstream`).
 */

export type WebErrorCode =
  | 'invalid_url'
  | 'blocked_by_policy'
  | 'too_many_redirects'
  | 'timeout'
  | 'too_large'
  | 'unsupported_content'
  | 'http_error'
  | 'network_error'
  | 'download_blocked'
  | 'browser_failed'
  | 'busy'
  | 'no_page'
  | 'not_configured'
  | 'search_failed';

const CATEGORY: Record<WebErrorCode, ErrorCategory> = {
  invalid_url: 'invalid_request',
  blocked_by_policy: 'permission',
  too_many_redirects: 'upstream',
  timeout: 'upstream',
  // The remote page is too large, not the request: a bad gateway, not a 413.
  too_large: 'upstream',
  unsupported_content: 'invalid_request',
  http_error: 'upstream',
  network_error: 'upstream',
  download_blocked: 'invalid_request',
  browser_failed: 'internal',
  busy: 'unavailable',
  no_page: 'invalid_request',
  not_configured: 'unavailable',
  search_failed: 'upstream',
};

export class WebToolError extends codedError('WebToolError', CATEGORY) {}

/**
 * Finds a WebToolError in an error or its causes (undici and Playwright wrap
 * errors). A NetworkPolicyError counts, as the WebToolError of the same code.
 */
export function findWebToolError(error: unknown): WebToolError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof WebToolError) return current;
    if (current instanceof NetworkPolicyError) {
      return new WebToolError(current.code, current.message, { cause: current });
    }
    current = current.cause;
  }
  return undefined;
}
