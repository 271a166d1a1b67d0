// The run runtime: queues, leases, live events and cancels, and the worker that executes runs.

// Live events and cancels
export { InProcessRunCancels, type InProcessRunCancelsOptions } from './cancels/in-process-run-cancels.js';
export {
  openRedisRunCancels,
  RedisRunCancels,
  type RedisRunCancelsOptions,
} from './cancels/redis-run-cancels.js';
export { type FollowRunOptions, followRun } from './events/follow-run.js';
export { followersTicking } from './events/follower-clock.js';
export { InProcessRunEventBus, type InProcessRunEventBusOptions } from './events/in-process-run-event-bus.js';
export {
  openRedisRunEventBus,
  RedisRunEventBus,
  type RedisRunEventBusOptions,
} from './events/redis-run-event-bus.js';
export { RunFollower, type RunFollowerOptions } from './events/run-follower.js';
export { isTerminalEvent } from './events/terminal-event.js';
export {
  combineObservers,
  observedSink,
  type RunExecutionEnd,
  type RunObserver,
  type RunObserverFactory,
} from './observe/run-observer.js';
export { ClaimLostError, type ClaimLostReason } from './queue/claim-lost.js';
// Queue and leases
export {
  enqueueRunInTransaction,
  GraphileRunConsumer,
  GraphileRunQueue,
  type GraphileRunQueueOptions,
  openGraphileRunQueue,
  RUN_TASK,
} from './queue/graphile-run-queue.js';
export { GraphileTasks, type GraphileTasksOptions } from './queue/graphile-tasks.js';
export { GroupCommit, type GroupCommitOptions } from './queue/group-commit.js';
export { LeasedConsumer, type LeasedConsumerSetup, sweepIntervalMs } from './queue/leased-consumer.js';
export { LocalRunConsumer, LocalRunQueue, type LocalRunQueueOptions } from './queue/local-run-queue.js';
export type { QueueLogger } from './queue/queue-logger.js';
export {
  type Claimed,
  NOT_HELD,
  RunLeaseStore,
  type RunLeaseStoreOptions,
  UNFINISHED_STATUSES,
} from './queue/run-leases.js';
export { poolSqlClient, type SqlClient, type SqlValue } from './queue/sql-client.js';
export { takeOverLeases } from './queue/take-over-leases.js';
export { closeRedisConnection, createRedisConnection, untilReady } from './redis/redis-connection.js';
// Runs: the manager, recorder and store
export type { PreparedRun, RunEnvironment } from './run-environment.js';
export { endFailedRun, RunWriteFailed } from './run-failure.js';
export { type RunExecution, RunManager, type RunManagerOptions } from './run-manager.js';
export { type EventPublisher, RunRecorder, type RunRecorderOptions } from './run-recorder.js';
export { type FollowOptions, type RunRole, RunRuntime, type RunRuntimeOptions } from './run-runtime.js';
export { RunLeaseLost, type RunStore, type StoredRun } from './run-store.js';
export {
  isTransientStorageError,
  retryDelays,
  WRITE_RETRY_DELAYS_MS,
  withWriteRetries,
} from './write-retry.js';
