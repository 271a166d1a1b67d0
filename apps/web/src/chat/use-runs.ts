import { useCallback, useEffect, useRef, useState } from 'react';
import { responses } from '../api/client.js';
import { ApiError } from '../api/http.js';
import type { ResponseEvent } from '../api/types.js';
import { forgetRun, saveRun } from './run-store.js';
import { applyEvents, isTerminal, type RunView } from './run-view.js';

type Source = (signal: AbortSignal) => AsyncGenerator<ResponseEvent>;

const MAX_RECONNECTS = 5;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The runs started (or resumed) on this page for one conversation, the last
 * one live. Events are applied once per animation frame, however fast they
 * come; a dropped stream is resumed after the last sequence number seen.
 */
export function useRuns(onEnded: () => void) {
  const [runs, setRuns] = useState<RunView[]>([]);
  const live = useRef<AbortController | null>(null);
  const endedRef = useRef(onEnded);
  endedRef.current = onEnded;

  useEffect(() => () => live.current?.abort(), []);

  const follow = useCallback(async (conversationId: string, initial: RunView, open: Source) => {
    live.current?.abort();
    const controller = new AbortController();
    live.current = controller;
    let view = initial;
    let pending: ResponseEvent[] = [];
    let frame = 0;
    const publish = (next: RunView) => {
      view = next;
      setRuns((all) => [...all.slice(0, -1), next]);
      if (isTerminal(next.status)) forgetRun(conversationId);
      else if (next.responseId) saveRun(conversationId, next);
    };
    const flush = () => {
      frame = 0;
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      publish(applyEvents(view, batch));
    };
    setRuns((all) => [...all, view]);
    let source = open(controller.signal);
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const event of source) {
          pending.push(event);
          if (!frame) frame = requestAnimationFrame(flush);
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status !== 0) {
          cancelAnimationFrame(frame);
          flush();
          publish({ ...view, status: 'failed', error: { code: error.code, message: error.message } });
          break;
        }
      }
      cancelAnimationFrame(frame);
      flush();
      if (controller.signal.aborted || isTerminal(view.status)) break;
      if (!view.responseId || attempt >= MAX_RECONNECTS) {
        publish({
          ...view,
          status: 'failed',
          error: {
            code: 'stream_lost',
            message: 'The connection to the run was lost. Reload to pick it up.',
          },
        });
        break;
      }
      await pause(300 * (attempt + 1));
      source = responses.resume(view.responseId, view.seq, controller.signal);
    }
    if (live.current === controller) live.current = null;
    endedRef.current();
  }, []);

  /** Clears the page's runs (another conversation was opened). */
  const reset = useCallback(() => {
    live.current?.abort();
    live.current = null;
    setRuns([]);
  }, []);

  return { runs, follow, reset };
}
