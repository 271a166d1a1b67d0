import type { RunEventSink } from '@agentd/core';
import type { ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { PreparedRun } from '../run-environment.js';
import type { StoredRun } from '../run-store.js';

/** How one execution of a run ended: its final snapshot (in progress when suspended), or why it stopped. */
export type RunExecutionEnd = { final: ResponseObject } | { error: unknown };

/**
 * Watches one execution of a run from outside the loop (traces, metrics):
 * it is told each event as the loop emits it, may wrap the loop's model and
 * tools, and runs the execution in its own context (a trace's). The loop
 * itself knows nothing of it. An observer must not throw.
 */
export interface RunObserver {
  /** Runs the whole execution (preparation, loop, failure handling). */
  within<T>(execute: () => Promise<T>): Promise<T>;
  /** The loop's input once prepared: the observer may wrap its model and tools. */
  prepared(run: PreparedRun): PreparedRun;
  /** Each event the loop emits, in order, before it is persisted. */
  event(event: ResponseEventBody): void;
  ended(end: RunExecutionEnd): void;
}

/** Makes the observer of one execution; undefined: the run is not watched by it. */
export type RunObserverFactory<Spec = unknown> = (run: StoredRun<Spec>) => RunObserver | undefined;

/** Several observers as one: nested contexts, wrappers applied in order, events to each. */
export function combineObservers(observers: readonly RunObserver[]): RunObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    within: (execute) =>
      observers.reduceRight<() => Promise<never>>(
        (inner, observer) => () => observer.within(inner),
        execute as () => Promise<never>,
      )(),
    prepared: (run) => observers.reduce((prepared, observer) => observer.prepared(prepared), run),
    event: (event) => {
      for (const observer of observers) observer.event(event);
    },
    ended: (end) => {
      for (const observer of observers) observer.ended(end);
    },
  };
}

/** The loop's sink, with each event shown to the observer before it goes on. */
export function observedSink(sink: RunEventSink, observer: RunObserver): RunEventSink {
  return {
    append(event, snapshot) {
      observer.event(event);
      sink.append(event, snapshot);
    },
    flush: () => sink.flush(),
  };
}
