import type { RunLoopInput } from '@agentd/core';
import type { ResponseObject } from '@agentd/spec';
import type { StoredRun } from './run-store.js';

/** What the loop is given for one run, beyond the run's own state and the runtime's sink and signal. */
export type PreparedRun = Omit<RunLoopInput, 'response' | 'stepsTaken' | 'signal' | 'sink'>;

/**
 * The gateway's part of executing a run: the runtime asks it for the run's
 * model, tools and instructions (resolved from the run's spec), and tells it
 * when a run has ended. Keeps the runtime free of the gateway's tools,
 * memories and repositories.
 */
export interface RunEnvironment<Spec = unknown> {
  /** The loop's input for `run`; throws if the run cannot be prepared (it then fails). */
  prepare(run: StoredRun<Spec>, signal: AbortSignal): Promise<PreparedRun>;
  /** After a run ended (not when it was suspended): e.g. append it to its conversation. Must not throw. */
  ended?(run: StoredRun<Spec>, final: ResponseObject): Promise<void>;
}
