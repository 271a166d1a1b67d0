import { Agentd } from '@agentd/sdk';
import { useMemo } from 'react';
import { bearer } from './credentials.js';

/**
 * The UI's API client: the SDK (`@agentd/sdk`), authenticated by the signed-in
 * session. The credential is read at each request, not fixed at creation, so
 * the session token that credentials.ts renews (or a sign-in in this tab) is
 * used as soon as it is stored; the key itself never reaches the SDK.
 */

/** Called when the API answers 401: the session is gone or was refused. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Sends every request with the current session credential, and reports a 401. */
const sessionFetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  const credential = bearer();
  if (credential) headers.set('authorization', `Bearer ${credential}`);
  else headers.delete('authorization');
  const response = await globalThis.fetch(input, { ...init, headers });
  if (response.status === 401) onUnauthorized();
  return response;
};

/** A new client for the page's origin (the server that served the UI). */
export function createAgentd(baseURL: string = globalThis.location.origin): Agentd {
  // The apiKey is a placeholder: sessionFetch sets the header from the session at each request.
  return new Agentd({ baseURL, apiKey: 'session', fetch: sessionFetch });
}

let shared: Agentd | undefined;

/** The page's one client (outside React: stores, event handlers). */
export function agentd(): Agentd {
  shared ??= createAgentd();
  return shared;
}

/** The page's client, for components: `const api = useAgentd(); await api.agents.list()`. */
export function useAgentd(): Agentd {
  return useMemo(agentd, []);
}
