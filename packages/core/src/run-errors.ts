/**
 * An abort reason that suspends the run instead of cancelling it (a server
 * shutting down): it stays in progress, to be resumed from its log.
 */
export class RunSuspended extends Error {
  constructor() {
    super('the run was suspended');
    this.name = 'RunSuspended';
  }
}

/** Why the loop stopped before the model was done: set by the caller's abort reason. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelled';
  }
}
