import type { NetworkPolicy } from '@agentd/net-policy';
import { WebToolError } from '../errors.js';
import { exchange, type HttpExchangeOptions, type HttpResponse, headerValue } from './http-exchange.js';

export interface FollowOptions extends HttpExchangeOptions {
  policy: NetworkPolicy;
  maxRedirects: number;
}

export interface FollowedResponse extends HttpResponse {
  /** Every URL visited before the final one. */
  redirects: URL[];
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/**
 * Follows redirects by hand: each hop's URL is checked by the policy before
 * anything is sent, and its connection is checked again on the resolved
 * address by the pinned agent.
 */
export async function fetchFollowingRedirects(url: URL, options: FollowOptions): Promise<FollowedResponse> {
  const redirects: URL[] = [];
  let current = options.policy.assertUrl(url);
  let method = options.method ?? 'GET';
  let body = options.body;
  let headers = { ...options.headers };
  for (;;) {
    const response = await exchange(current, { ...options, method, headers, ...(body ? { body } : {}) });
    const location = headerValue(response.headers.location);
    if (!REDIRECT_STATUS.has(response.status) || location === undefined) return { ...response, redirects };
    if (redirects.length >= options.maxRedirects) {
      throw new WebToolError(
        'too_many_redirects',
        `${url.href} redirected more than ${options.maxRedirects} times; stopped at ${current.href}.`,
      );
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new WebToolError(
        'http_error',
        `${current.href} redirected to an invalid URL '${location.slice(0, 200)}'.`,
      );
    }
    options.policy.assertUrl(next);
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
    }
    if (next.origin !== current.origin) headers = withoutCredentials(headers);
    redirects.push(current);
    current = next;
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['cookie', 'authorization', 'proxy-authorization'].includes(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}
