// The run runtime: queues, leases, live events and cancels, and the worker that executes runs.

// Live events and cancels
export { InProcessRunCancels, type InProcessRunCancelsOptions } from './cancels/in-process-run-cancels.js';
export {
  openRedisRunCancels,
  RedisRunCancels,
  type RedisRunCancelsOptions,
} from './cancels/redis-run-cancels.js';
export { type FollowRunOptions, followRun } from './events/follow-run.js';
export { InProcessRunEventBus, type InProcessRunEventBusOptions } from './events/in-process-run-event-bus.js';
export {
  openRedisRunEventBus,
  RedisRunEventBus,
  type RedisRunEventBusOptions,
} from './events/redis-run-event-bus.js';
export { isTerminalEvent } from './events/terminal-event.js';
