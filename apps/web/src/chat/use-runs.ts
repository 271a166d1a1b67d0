import { AgentdAPIError, type ResponseStream } from '@agentd/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResponseEvent } from '../api/types.js';
import { forgetRun, saveRun } from './run-store.js';
import { applyEvents, isTerminal, type RunView } from './run-view.js';

/** A run's events; the SDK's ResponseStream resumes a dropped connection after the last event itself. */
type Source = (signal: AbortSignal) => ResponseStream;

/**
 * The runs started (or resumed) on this page for one conversation, the last
 * one live. Events are applied once per animation frame, however fast they
 * come.
 */
export function useRuns(onEnded: () => void, onLive?: (conversationId: string, responseId: string) => void) {
  const [runs, setRuns] = useState<RunView[]>([]);
  const live = useRef<AbortController | null>(null);
  const endedRef = useRef(onEnded);
  endedRef.current = onEnded;
  const liveRef = useRef(onLive);
  liveRef.current = onLive;

  useEffect(() => () => live.current?.abort(), []);

  const follow = useCallback(async (conversationId: string, initial: RunView, open: Source) => {
    live.current?.abort();
    const controller = new AbortController();
    live.current = controller;
    let view = initial;
    let pending: ResponseEvent[] = [];
    let frame = 0;
    const publish = (next: RunView) => {
      if (next.responseId && !view.responseId && !isTerminal(next.status))
        liveRef.current?.(conversationId, next.responseId);
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
    const stream = open(controller.signal);
    try {
      for await (const event of stream) {
        pending.push(event);
        if (!frame) frame = requestAnimationFrame(flush);
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      cancelAnimationFrame(frame);
      flush();
      publish({
        ...view,
        status: 'failed',
        error:
          error instanceof AgentdAPIError
            ? { code: error.code, message: error.message }
            : { code: 'stream_lost', message: 'The connection to the run was lost. Reload to pick it up.' },
      });
    }
    cancelAnimationFrame(frame);
    flush();
    if (!isTerminal(view.status) && !controller.signal.aborted) {
      // The run ended while the stream was away: the SDK read its final state instead of its last event.
      const final = await stream.finalResponse().catch(() => null);
      publish({ ...view, status: final?.status ?? 'failed' });
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
