import { useCallback, useEffect, useState } from 'react';
import { type ConsoleSection, isConsoleSection } from './console/sections.js';

/** The client's routes; the server answers each of these paths with the app (see web-ui.ts in the server). */
export type Route =
  | { page: 'sign-in' }
  | { page: 'chat'; conversationId: string | null }
  | { page: 'console'; section: ConsoleSection; id: string | null };

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'sign-in') return { page: 'sign-in' };
  if (parts[0] === 'c' && parts[1]) return { page: 'chat', conversationId: parts[1] };
  if (parts[0] === 'console') {
    const section = isConsoleSection(parts[1]) ? parts[1] : 'agents';
    return { page: 'console', section, id: parts[2] ?? null };
  }
  return { page: 'chat', conversationId: null };
}

/** A history-API router: the path is the state; links call `navigate`. */
export function useRoute() {
  const [path, setPath] = useState(() => location.pathname);
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    setPath(to);
  }, []);
  return { route: parseRoute(path), navigate };
}
