import { RunSuspended, runLoop } from '@agentd/core';
import type { ResponseObject } from '@agentd/spec';
import type { Logger } from 'pino';
import {
  combineObservers,
  observedSink,
  type RunObserver,
  type RunObserverFactory,
} from './observe/run-observer.js';
import type { RunEnvironment } from './run-environment.js';
import { endFailedRun, RunWriteFailed } from './run-failure.js';
import { type EventPublisher, RunRecorder } from './run-recorder.js';
import { RunLeaseLost, type RunStore, type StoredRun } from './run-store.js';
import { retryDelays } from './write-retry.js';

interface ActiveRun {
  controller: AbortController;
  done: Promise<ResponseObject>;
}

export interface RunManagerOptions<Spec> {
  store: RunStore<Spec>;
  bus: EventPublisher;
  environment: RunEnvironment<Spec>;
  logger: Logger;
  /** How long a run's writes are retried while the database is unreachable (AGENTD_STORAGE_RETRY_MS). */
  storageRetryMs?: number;
  /** Told the final status of each run that ended here (not of one suspended or lost to another worker). */
  onEnded?: (status: string) => void;
  /** Watch each execution from outside the loop (traces, metrics), told every event it emits. */
  observers?: readonly RunObserverFactory<Spec>[];
}

/** How one execution of a run is held: the lease generation its writes are fenced with, if any. */
export interface RunExecution {
  stepsTaken?: number;
  generation?: number;
}

/** Executes runs in this process, detached from the requests that started them. */
export class RunManager<Spec = unknown> {
  private readonly active = new Map<string, ActiveRun>();

  /** Pauses between attempts at a run's write while the database is away. */
  private readonly retryDelaysMs: readonly number[];

  constructor(private readonly options: RunManagerOptions<Spec>) {
    this.retryDelaysMs = retryDelays(options.storageRetryMs ?? 5_000);
  }

  /** Starts a stored, queued response; resolves with its final snapshot. */
  start(stored: StoredRun<Spec>, execution: RunExecution = {}): Promise<ResponseObject> {
    const existing = this.active.get(stored.id);
    if (existing) return existing.done;
    const controller = new AbortController();
    const done = this.run(stored, controller, execution).finally(() => this.active.delete(stored.id));
    this.active.set(stored.id, { controller, done });
    return done;
  }

  /** Runs executing in this process now. */
  get running(): number {
    return this.active.size;
  }

  /** Waits for a run in this process, if there is one. */
  wait(id: string): Promise<ResponseObject> | undefined {
    return this.active.get(id)?.done;
  }

  /** Stops a run in this process with `reason` (the loop's abort reason); false if it is not here. */
  abort(id: string, reason: unknown): boolean {
    const run = this.active.get(id);
    if (!run) return false;
    run.controller.abort(reason);
    return true;
  }

  /**
   * Suspends every run in this process (server shutdown): each stops where it
   * is, stays in progress, and is resumed by the next start.
   */
  async shutdown(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(new RunSuspended());
    await Promise.allSettled(runs.map((run) => run.done));
  }

  private async run(
    stored: StoredRun<Spec>,
    controller: AbortController,
    execution: RunExecution,
  ): Promise<ResponseObject> {
    const observer = combineObservers(
      (this.options.observers ?? []).flatMap((observe) => observe(stored) ?? []),
    );
    if (!observer) return this.execute(stored, controller, execution);
    try {
      const final = await observer.within(() => this.execute(stored, controller, execution, observer));
      observer.ended({ final });
      return final;
    } catch (error) {
      observer.ended({ error });
      throw error;
    }
  }

  private async execute(
    stored: StoredRun<Spec>,
    controller: AbortController,
    execution: RunExecution,
    observer?: RunObserver,
  ): Promise<ResponseObject> {
    const { store, bus, logger, environment } = this.options;
    // A write that fails for good stops the run where it is: its model call and tools are aborted.
    const recorder = new RunRecorder(store, bus, stored.tenantId, stored.id, stored.lastSequence, {
      onFailure: (error) => controller.abort(new RunWriteFailed(error)),
      onPublishError: (error) =>
        logger.warn(
          { err: error, response_id: stored.id },
          'could not publish live events; streams read the log',
        ),
      retryDelaysMs: this.retryDelaysMs,
      // A run's conversation has its turn before the run is seen to end: the next turn reads it.
      beforeEnd: (final) => environment.ended?.(stored, final) ?? Promise.resolve(),
      ...(execution.generation === undefined ? {} : { generation: execution.generation }),
    });
    let final: ResponseObject;
    try {
      const ready = await environment.prepare(stored, controller.signal);
      const prepared = observer ? observer.prepared(ready) : ready;
      final = await runLoop({
        // The recorder coalesces deltas (merging those that wait for a write), so the loop hands
        // each on at once and the first token is not held back for a frame.
        coalesceMs: 0,
        ...prepared,
        response: stored.snapshot,
        stepsTaken: execution.stepsTaken ?? 0,
        signal: controller.signal,
        sink: observer ? observedSink(recorder, observer) : recorder,
      });
    } catch (error) {
      const cause = recorder.failed ?? error;
      // Another worker holds the run now: this one must not write anything more.
      if (cause instanceof RunLeaseLost) throw cause;
      logger.error({ err: cause, response_id: stored.id }, 'run stopped: it could not be carried on');
      const failed = await endFailedRun(recorder, stored, cause);
      this.options.onEnded?.(failed.status);
      return failed;
    }
    if (final.status !== 'in_progress') this.options.onEnded?.(final.status);
    return final;
  }
}
