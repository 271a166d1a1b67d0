import { NetworkPolicyError } from '@agentd/net-policy';

/**
 * The one error class of the web tools. `code` is stable and machine readable;
 * `category` says whose fault it is: the caller's request (`user`), this
 * server (`system`) or the remote site or search API (`third_party`).
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

export type WebErrorCategory = 'user' | 'system' | 'third_party';

const CATEGORY: Record<WebErrorCode, WebErrorCategory> = {
  invalid_url: 'user',
  blocked_by_policy: 'user',
  too_many_redirects: 'third_party',
  timeout: 'third_party',
  too_large: 'third_party',
  unsupported_content: 'user',
  http_error: 'third_party',
  network_error: 'third_party',
  download_blocked: 'user',
  browser_failed: 'system',
  busy: 'system',
  no_page: 'user',
  not_configured: 'system',
  search_failed: 'third_party',
};

export class WebToolError extends Error {
  readonly code: WebErrorCode;
  readonly category: WebErrorCategory;

  constructor(code: WebErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WebToolError';
    this.code = code;
    this.category = CATEGORY[code];
  }
}

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
