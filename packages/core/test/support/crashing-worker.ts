import type { ResponseEventBody, ResponseObject } from '@agentd/spec';
import { applyEvent, type RunLoopInput, runLoop } from '../../src/index.js';
import { memorySink, queued } from './run-fixtures.js';

/** What a worker that died left in the log, and the run as the next worker finds it. */
export interface Crash {
  /** The events persisted before the worker died. */
  log: ResponseEventBody[];
  /** The log folded into the stored snapshot (status in_progress). */
  snapshot: ResponseObject;
  /** Model turns completed before the crash (as the runtime counts them from the log). */
  stepsTaken: number;
}

/**
 * Runs the loop as a worker that dies when `crash()` is called, or right
 * after appending an event `when` picks: the events it appended until then
 * are its persisted log; whatever it does afterwards (it is aborted, and
 * unwinds) is lost with it.
 */
export function crashingWorker(
  input: Omit<RunLoopInput, 'sink' | 'signal' | 'response'>,
  options: { when?: (event: ResponseEventBody) => boolean } = {},
) {
  const log: ResponseEventBody[] = [];
  let crashed: Crash | undefined;
  const controller = new AbortController();
  let died: (crash: Crash) => void = () => undefined;
  const dead = new Promise<Crash>((resolve) => {
    died = resolve;
  });
  const crash = () => {
    if (crashed) return;
    const persisted = [...log];
    crashed = {
      log: persisted,
      snapshot: persisted.reduce(applyEvent, queued()),
      stepsTaken: persisted.filter((event) => event.type === 'response.model_call.completed').length,
    };
    controller.abort(new Error('the worker died'));
    died(crashed);
  };
  const sink = {
    append: (event: ResponseEventBody) => {
      if (crashed) return;
      log.push(event);
      if (options.when?.(event)) crash();
    },
    flush: async () => undefined,
  };
  const running = runLoop({ ...input, response: queued(), signal: controller.signal, sink }).catch(
    () => undefined,
  );
  return {
    crash,
    /** The crash, once the worker has died and stopped unwinding. */
    async dead(): Promise<Crash> {
      const result = await dead;
      await running;
      return result;
    },
  };
}

/** Resumes a crashed run on a new worker; the whole log is the crash's events and the new ones. */
export async function resume(crash: Crash, input: Omit<RunLoopInput, 'sink' | 'signal' | 'response'>) {
  const { sink, events } = memorySink();
  const final = await runLoop({
    ...input,
    response: crash.snapshot,
    stepsTaken: crash.stepsTaken,
    signal: new AbortController().signal,
    sink,
  });
  return { final, events, log: [...crash.log, ...events] };
}

/** Resolves never; rejects when the signal aborts: a model or tool still working when its worker dies. */
export function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** `output_text` as the OpenAI clients compute it: every output_text part of every message. */
export function outputText(response: ResponseObject): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('');
}
