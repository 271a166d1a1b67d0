import type { Agentd } from '@agentd/sdk';
import { useCallback, useEffect, useState } from 'react';
import { useAgentd } from '../api/sdk.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  /** Loads again (after a change). */
  reload: () => void;
}

/**
 * Data the console reads from the API: loaded when `key` changes and on
 * `reload()`; an answer that comes after a newer request started is dropped.
 */
export function useLoad<T>(load: (api: Agentd) => Promise<T>, key: string): Loaded<T> {
  const api = useAgentd();
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` says when `load` asks for something new
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load(api).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (failure: unknown) =>
        current && setState((previous) => ({ ...previous, error: errorText(failure), loading: false })),
    );
    return () => {
      current = false;
    };
  }, [api, key, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

/** What to tell a person about a failure: the API's message (it names the field), or the error's. */
export function errorText(failure: unknown): string {
  if (failure instanceof Error) return failure.message;
  return String(failure);
}
