/** Why a handler's `lost` signal aborted. */
export type ClaimLostReason =
  /** The lease could not be extended: it ran out, another worker claimed the run, or the database failed. */
  | 'lease_lost'
  /** The worker is stopping and its grace ran out: hand the run back ('released'). */
  | 'worker_draining';

/** The reason a `RunClaim.lost` signal carries. */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';

  constructor(
    readonly reason: ClaimLostReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
